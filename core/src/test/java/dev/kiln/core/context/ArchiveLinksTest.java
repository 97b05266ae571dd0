package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symlinks resolved through each other, as the kernel resolves them once the archive is unpacked.
 */
class ArchiveLinksTest {

  private static final String ABOVE =
      "which points above the context root once the other symlinks are followed";

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of(
            "a link through a sibling link to the root, then up",
            new RawTar().directory("a/").symlink("a/b", "..").symlink("a/c", "b/.."),
            "'a/c' is a symlink to 'b/..', " + ABOVE),
        Arguments.of(
            "the same with the later link first",
            new RawTar().directory("a/").symlink("a/c", "b/..").symlink("a/b", ".."),
            "'a/c' is a symlink to 'b/..', " + ABOVE),
        Arguments.of(
            "the same with the directory only implied",
            new RawTar().symlink("a/b", "..").symlink("a/c", "b/.."),
            "'a/c' is a symlink to 'b/..', " + ABOVE),
        Arguments.of(
            "a chain of two links, each inside on its own text",
            new RawTar().symlink("x/p", "..").symlink("y/q", "../x/p").symlink("z/r", "../y/q/.."),
            "'z/r' is a symlink to '../y/q/..', " + ABOVE),
        Arguments.of(
            "deeper directories resolved to the root",
            new RawTar().symlink("a/b/c/up", "../../..").symlink("a/l", "b/c/up/.."),
            "'a/l' is a symlink to 'b/c/up/..', " + ABOVE),
        Arguments.of(
            "through an absolute link, which leads to the root",
            new RawTar().symlink("abs", "/").symlink("x/l", "../abs/.."),
            "'x/l' is a symlink to '../abs/..', " + ABOVE),
        Arguments.of(
            "through an absolute link whose own text climbs",
            new RawTar().symlink("abs", "/..").symlink("l", "abs/x"),
            "'l' is a symlink to 'abs/x', " + ABOVE),
        Arguments.of(
            "a link that resolves above, used in the middle of another",
            new RawTar().symlink("a/b", "..").symlink("a/c", "b/../d").file("d", "x"),
            "'a/c' is a symlink to 'b/../d', " + ABOVE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void refusesLinksThatResolveAboveTheRoot(String name, RawTar tar, String message) {
    assertRefused(tar, message);
  }

  static Stream<Arguments> loops() {
    return Stream.of(
        Arguments.of(
            "two links naming each other",
            new RawTar().symlink("a", "b").symlink("b", "a"),
            "'a' is a symlink to 'b', which never resolves: following the symlinks from"
                + " it comes back to 'a'; break the loop"),
        Arguments.of("a link to itself", new RawTar().symlink("s", "s"), "comes back to 's'"),
        Arguments.of(
            "a link through itself as a directory",
            new RawTar().symlink("d/l", "../d/l/x"),
            "'d/l' is a symlink to '../d/l/x', which never resolves"),
        Arguments.of(
            "a link into a loop it is not part of",
            new RawTar().file("f", "x").symlink("in", "a/f").symlink("a", "b").symlink("b", "a"),
            "'in' is a symlink to 'a/f', which never resolves: following the symlinks"
                + " from it comes back to 'a'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loops")
  void refusesLinksWhoseResolutionLoops(String name, RawTar tar, String message) {
    assertRefused(tar, message);
  }

  @Test
  void refusesAChainOfMoreLinksThanLinuxFollows() {
    assertRefused(
        chain(ArchiveLinks.MAX_HOPS + 1),
        "'c0' is a symlink to 'c1', which takes more than 40 symlinks to resolve, more than Linux"
            + " follows; shorten the chain");
  }

  @Test
  void refusesAVeryLongChainWithoutFollowingItAllTheWay() {
    assertRefused(chain(20_000), "'c0' is a symlink to 'c1', which takes more than 40 symlinks");
  }

  @Test
  void countsEveryLinkFollowedNotOnlyTheChainDepthAsLinuxDoes() {
    // d/l<i> takes i + 1 links; both targets cross two chains, neither is longer than 21 links.
    // Checked on Linux: ls ok/ lists d/x, ls over/ fails with ELOOP.
    RawTar tar = new RawTar().directory("d/").directory("d/x/");
    tar.symlink("d/l0", "x");
    for (int i = 1; i <= 20; i++) {
      tar.symlink("d/l" + i, "l" + (i - 1));
    }
    RawTar over = tar.symlink("over", "d/l19/../l19");

    assertRefused(over, "'over' is a symlink to 'd/l19/../l19', which takes more than 40");
  }

  @Test
  void acceptsATargetThatFollowsExactly40LinksAcrossChains() {
    RawTar tar = new RawTar().directory("d/").directory("d/x/");
    tar.symlink("d/l0", "x");
    for (int i = 1; i <= 20; i++) {
      tar.symlink("d/l" + i, "l" + (i - 1));
    }
    tar.symlink("ok", "d/l18/../l19");

    assertThat(validate(tar)).hasSize(24);
  }

  @Test
  void acceptsAChainOfAsManyLinksAsLinuxFollows() {
    assertThat(validate(chain(ArchiveLinks.MAX_HOPS))).hasSize(ArchiveLinks.MAX_HOPS + 1);
  }

  @Test
  void acceptsLinksToFilesAndLinksThatClimbBackInsideThroughOtherLinks() {
    RawTar tar =
        new RawTar()
            .file("f", "x")
            .directory("a/")
            .directory("a/b/")
            .directory("a/b/c/")
            .symlink("a/b/c/up", "../..")
            .symlink("to-file", "f")
            .symlink("a/to-file", "../f")
            .symlink("via-up", "a/b/c/up/..")
            .symlink("a/via-up", "b/c/up/../f")
            .symlink("a/b/c/chain", "up/b/c/up/../to-file")
            .symlink("missing", "nothing/here/../../f")
            .symlink("abs", "/usr")
            .symlink("through-abs", "abs/../etc/passwd")
            .symlink("abs-loop", "/abs-loop");

    assertThat(validate(tar)).hasSize(14);
  }

  @Test
  void acceptsTheTestersTreeWhenTheSecondLinkStaysInside() {
    RawTar tar = new RawTar().directory("a/").symlink("a/b", "..").symlink("a/c", "b/a");

    assertThat(validate(tar))
        .containsExactly(
            ContextEntry.directory("a"),
            ContextEntry.symlink("a/b", ".."),
            ContextEntry.symlink("a/c", "b/a"));
  }

  /** c0 -> c1 -> ... -> c(n-1) -> f: resolving c0 follows n links. */
  private static RawTar chain(int links) {
    RawTar tar = new RawTar();
    for (int i = 0; i < links; i++) {
      tar.symlink("c" + i, i == links - 1 ? "f" : "c" + (i + 1));
    }
    return tar.file("f", "x");
  }

  private static void assertRefused(RawTar tar, String message) {
    byte[] bytes = tar.end().bytes();
    assertThatThrownBy(() -> validate(bytes))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining(message);
  }

  private static List<ContextEntry> validate(RawTar tar) {
    return validate(tar.end().bytes());
  }

  private static List<ContextEntry> validate(byte[] tar) {
    return ContextArchive.validate(new ByteArrayInputStream(tar), ContextLimits.DEFAULT);
  }
}
