package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ContextArchiveTest {

  private static final ContextLimits LIMITS = ContextLimits.DEFAULT;

  static Stream<Arguments> attacks() {
    return Stream.of(
        Arguments.of("dot-dot", new RawTar().file("../x", "x"), "'../x' climbs out"),
        Arguments.of("inner dot-dot", new RawTar().file("a/../../x", "x"), "climbs out"),
        Arguments.of("absolute", new RawTar().file("/etc/x", "x"), "'/etc/x' is an absolute"),
        Arguments.of(
            "escaping symlink",
            new RawTar().symlink("l", "../../etc/passwd"),
            "'l' is a symlink to '../../etc/passwd', which points above the context root"),
        Arguments.of(
            "escaping nested symlink", new RawTar().symlink("a/l", "../../x"), "points above"),
        Arguments.of(
            "write through a symlink",
            new RawTar().symlink("l", "/etc").file("l/passwd", "root::0:0"),
            "'l/passwd' lies below l, which is a symlink"),
        Arguments.of(
            "hard link outside",
            new RawTar().hardLink("h", "../etc/passwd"),
            "outside the archive"),
        Arguments.of(
            "hard link to nothing",
            new RawTar().hardLink("h", "etc/passwd"),
            "not an earlier file of the archive"),
        Arguments.of(
            "hard link to a directory",
            new RawTar().directory("d/").hardLink("h", "d"),
            "not an earlier file of the archive"),
        Arguments.of(
            "character device",
            new RawTar().entry("null", '3', 0666, new byte[0], ""),
            "'null' is a device"),
        Arguments.of(
            "block device", new RawTar().entry("sda", '4', 0660, new byte[0], ""), "is a device"),
        Arguments.of("fifo", new RawTar().entry("pipe", '6', 0644, new byte[0], ""), "is a fifo"),
        Arguments.of(
            "sparse file",
            new RawTar().entry("s", 'S', 0644, new byte[0], ""),
            "unsupported type 'S'"),
        Arguments.of(
            "duplicate", new RawTar().file("a", "1").file("a", "2"), "appears more than once"),
        Arguments.of(
            "below a file", new RawTar().file("a", "1").file("a/b", "2"), "which is a file"),
        Arguments.of(
            "pax path escape",
            new RawTar().pax("path", "../evil").file("innocent", "x"),
            "'../evil' climbs out"),
        Arguments.of(
            "pax path that is not UTF-8",
            new RawTar().pax("path", "bad\uDCFF").file("innocent", "x"),
            "the pax record 'path' of the entry after"),
        Arguments.of(
            "pax path holding U+FFFD, which bad bytes would be read as",
            new RawTar().pax("path", "a\uFFFD").file("innocent", "x"),
            "is not valid UTF-8 or holds U+FFFD"),
        Arguments.of(
            "pax link path that is not UTF-8",
            new RawTar().pax("linkpath", "t\uDC80").symlink("l", "t"),
            "the pax record 'linkpath'"),
        Arguments.of(
            "GNU long name escape",
            new RawTar().gnuLongName("/etc/evil").file("innocent", "x"),
            "'/etc/evil' is an absolute"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void refusesArchivesThatCouldEscapeOrCannotBeHashed(String name, RawTar tar, String message) {
    byte[] bytes = tar.end().bytes();

    assertThatThrownBy(() -> validate(bytes))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((InvalidContextException) e).field()).hasValue("context"));
  }

  /** Names that are not UTF-8 from other tar writers: in the header, or in GNU long names. */
  @Test
  void readsNamesThatAreNotUtf8AsTheirBytesFromHeadersAndGnuLongNames() {
    String longName = "d/" + "n".repeat(120) + "\uDCFE";
    byte[] tar =
        new RawTar()
            .file("bad\uDCFF", "x")
            .gnuLongName(longName)
            .file("ignored-short-name", "y")
            .symlink("l\uDC80", "t\uDCC3")
            .end()
            .bytes();

    assertThat(validate(tar))
        .extracting(e -> ContextNames.display(e.path() + " -> " + e.linkTarget()))
        .containsExactly(
            "bad\\xff -> null", ContextNames.display(longName) + " -> null", "l\\x80 -> t\\xc3");
  }

  @Test
  void keepsSymlinksToAbsolutePathsAndRelativeOnesThatStayInside() {
    byte[] tar =
        new RawTar()
            .symlink("abs", "/etc/passwd")
            .directory("a/")
            .symlink("a/up", "../b")
            .symlink("a/here", "./x/../y")
            .end()
            .bytes();

    assertThat(validate(tar))
        .containsExactly(
            ContextEntry.symlink("abs", "/etc/passwd"),
            ContextEntry.directory("a"),
            ContextEntry.symlink("a/up", "../b"),
            ContextEntry.symlink("a/here", "./x/../y"));
  }

  @Test
  void acceptsHardLinksToEarlierFilesAsFilesWithTheirContent() {
    byte[] tar = new RawTar().file("run.sh", "echo").hardLink("again.sh", "run.sh").end().bytes();

    assertThat(validate(tar))
        .containsExactly(
            ContextEntry.file("run.sh", false, 4),
            new ContextEntry("again.sh", ContextEntry.Kind.FILE, false, 4, "run.sh"));
  }

  @Test
  void acceptsTheLeadingDotSlashAndTheRootEntryThatTarWrites() {
    byte[] tar =
        new RawTar().directory("./").directory("./src/").file("./src/a", "x").end().bytes();

    assertThat(validate(tar))
        .containsExactly(ContextEntry.directory("src"), ContextEntry.file("src/a", false, 1));
  }

  @Test
  void refusesLinkHeadersThatClaimData() {
    // Go's reader (BuildKit's) reads no data after a link header, commons-compress reads what the
    // size field says, so the two would disagree about which headers are entries: kiln refuses
    byte[] tar =
        new RawTar().header("l", '2', 0777, 512, "target").file("hidden", "x").end().bytes();

    assertThatThrownBy(() -> validate(tar))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("'l' claims 512 bytes of data");
  }

  @Test
  void readsDirectoryHeadersWithoutDataWhatTheirSizeFieldSays() {
    // both readers take a directory header alone, whatever its size field says
    byte[] tar = new RawTar().header("d/", '5', 0755, 512, "").file("d/a", "x").end().bytes();

    assertThat(validate(tar))
        .containsExactly(ContextEntry.directory("d"), ContextEntry.file("d/a", false, 1));
  }

  @Test
  void handsEachFileWithItsContentToTheReader() {
    byte[] tar = new RawTar().directory("d/").file("d/a", "alpha").file("b", "").end().bytes();
    Map<String, String> contents = new LinkedHashMap<>();

    ContextArchive.read(
        new ByteArrayInputStream(tar),
        LIMITS,
        (entry, content) ->
            contents.put(entry.path(), new String(content.readAllBytes(), StandardCharsets.UTF_8)));

    assertThat(contents)
        .containsExactly(Map.entry("d", ""), Map.entry("d/a", "alpha"), Map.entry("b", ""));
  }

  @Test
  void readsLongNamesWrittenByOtherTools() throws IOException {
    String longName = "deep/" + "x".repeat(150) + "/ünï";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int mode :
        new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
      out.reset();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
        tar.setLongFileMode(mode);
        tar.setAddPaxHeadersForNonAsciiNames(mode == TarArchiveOutputStream.LONGFILE_POSIX);
        TarArchiveEntry entry = new TarArchiveEntry(longName);
        entry.setSize(2);
        tar.putArchiveEntry(entry);
        tar.write("hi".getBytes(StandardCharsets.UTF_8));
        tar.closeArchiveEntry();
      }

      assertThat(validate(out.toByteArray()))
          .containsExactly(ContextEntry.file(longName, false, 2));
    }
  }

  @Test
  void returnsWhatThePackerWroteEntryForEntry(@TempDir Path context) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.createDirectories(context.resolve("a/" + "b".repeat(120)));
    Files.writeString(context.resolve("a/" + "b".repeat(120) + "/ç"), "c");
    Files.createSymbolicLink(context.resolve("l"), Path.of("/bin/sh"));
    List<ContextEntry> entries =
        new ContextWalker().walk(context, DockerIgnore.none(), "Dockerfile");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ContextPacker().pack(context, entries, out);

    assertThat(validate(out.toByteArray())).isEqualTo(entries);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 100, 512, 700, 1024, 1536, 2048, 2560, 3000, 3300})
  void refusesATruncatedArchive(int length) {
    byte[] full = new RawTar().file("a", "x".repeat(600)).file("b", "y").end().bytes();

    assertThatThrownBy(() -> validate(Arrays.copyOf(full, length)))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("is not a valid tar")
        .hasMessageContaining("truncated");
  }

  @Test
  void refusesAStreamThatIsNoTar() {
    byte[] noise = new byte[4096];
    new Random(42).nextBytes(noise);

    assertThatThrownBy(() -> validate(noise))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("is not a valid tar");
    assertThatThrownBy(
            () -> validate("just some text".repeat(100).getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("is not a valid tar");
  }

  @Test
  void refusesTooManyEntries() {
    byte[] tar = new RawTar().file("a", "").file("b", "").file("c", "").file("d", "").end().bytes();

    assertThat(
            ContextArchive.validate(new ByteArrayInputStream(tar), new ContextLimits(1 << 20, 4)))
        .hasSize(4);
    assertThatThrownBy(
            () ->
                ContextArchive.validate(
                    new ByteArrayInputStream(tar), new ContextLimits(1 << 20, 3)))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("more than 3 entries");
  }

  @Test
  void refusesAnArchiveOverTheSizeLimit() {
    byte[] tar = new RawTar().file("big", "x".repeat(5000)).end().bytes();

    assertThat(
            ContextArchive.validate(
                new ByteArrayInputStream(tar), new ContextLimits(tar.length, 10)))
        .hasSize(1);
    assertThatThrownBy(
            () ->
                ContextArchive.validate(new ByteArrayInputStream(tar), new ContextLimits(4096, 10)))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("larger than the limit of 4096 bytes");
  }

  static Stream<Arguments> overlongNames() {
    String ascii = "n".repeat(256);
    String accented = "é".repeat(128);
    return Stream.of(
        Arguments.of("a file", new RawTar().pax("path", "d/" + ascii).file("x", ""), 256),
        Arguments.of("a directory", new RawTar().pax("path", ascii + "/").directory("x/"), 256),
        Arguments.of("a symlink", new RawTar().pax("path", "d/" + ascii).symlink("x", "t"), 256),
        Arguments.of("two-byte letters", new RawTar().pax("path", accented).file("x", ""), 256),
        Arguments.of(
            "a long component in the middle",
            new RawTar().pax("path", "a/" + "m".repeat(300) + "/b").file("x", ""),
            300));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlongNames")
  void refusesPathComponentsOverLinuxNameMax(String name, RawTar tar, int bytes) {
    byte[] archive = tar.end().bytes();

    assertThatThrownBy(() -> validate(archive))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("the context archive entry '")
        .hasMessageContaining(
            "has a path component of "
                + bytes
                + " bytes; file names are limited to 255 bytes, shorten it");
  }

  @Test
  void acceptsNamesOfExactly255BytesAndLongerComponentsInSymlinkTargets() {
    String ascii = "n".repeat(255);
    String accented = "é".repeat(127) + "e";
    String target = "../" + "t".repeat(400) + "/x";
    byte[] tar =
        new RawTar()
            .pax("path", "d/" + ascii)
            .file("x", "")
            .pax("path", accented)
            .file("y", "")
            .pax("linkpath", target)
            .symlink("d/l", "t")
            .end()
            .bytes();

    assertThat(validate(tar))
        .containsExactly(
            ContextEntry.file("d/" + ascii, false, 0),
            ContextEntry.file(accented, false, 0),
            ContextEntry.symlink("d/l", target));
  }

  private static List<ContextEntry> validate(byte[] tar) {
    return ContextArchive.validate(new ByteArrayInputStream(tar), LIMITS);
  }
}
