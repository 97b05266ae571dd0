package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextScan;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.hash.cache.StatCache;
import dev.kiln.core.image.BuildHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How a directory is hashed: in parallel, streamed, and refusing to guess when files misbehave. */
class DirectoryHashingTest {

  @TempDir Path context;

  private final BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7})
  void hashesTheSameOnAnyNumberOfThreads(int parallelism) throws IOException {
    write("Dockerfile", "FROM scratch\n");
    for (int i = 0; i < 700; i++) {
      write("d" + (i % 7) + "/f" + i, "content " + i + "\n".repeat(i % 5));
    }
    write("big.bin", "x".repeat(3 * FileDigester.BUFFER_BYTES + 17));

    BuildHash oneByOne =
        new BuildHasher(1)
            .hashDirectory(context, walker().walk(context, none(), "Dockerfile"), inputs);

    assertThat(hashWith(new FileDigester(parallelism, null))).isEqualTo(oneByOne);
  }

  @Test
  void hashesListedEntriesInAnyOrderAndWithImpliedDirectoriesLikeTheWalk() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("a/b/c.txt", "c");
    write("a-b", "dash sorts before slash");
    List<ContextEntry> walked = walker().walk(context, none(), "Dockerfile");
    BuildHash expected = new BuildHasher().hashDirectory(context, walked, inputs);

    List<ContextEntry> shuffled = new ArrayList<>(walked);
    Collections.reverse(shuffled);
    List<ContextEntry> withoutDirectories =
        walked.stream().filter(e -> e.kind() != ContextEntry.Kind.DIRECTORY).toList();

    assertThat(new BuildHasher().hashDirectory(context, shuffled, inputs)).isEqualTo(expected);
    assertThat(new BuildHasher().hashDirectory(context, withoutDirectories, inputs))
        .isEqualTo(expected);
  }

  /** Links to ancestors make cycles in the directory graph; none is followed, so they hash fine. */
  @Test
  void followsNoDirectorySymlinkSoLinksToAncestorsHashFine() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("a/file", "a");
    Files.createSymbolicLink(context.resolve("a/again"), Path.of(".."));
    Files.createSymbolicLink(context.resolve("here"), Path.of("."));

    ContextScan scan = walker().scan(context, none(), "Dockerfile");

    assertThat(scan.entries())
        .extracting(e -> e.path() + " " + e.kind())
        .containsExactly(
            "Dockerfile FILE", "a DIRECTORY", "a/again SYMLINK", "a/file FILE", "here SYMLINK");
    assertThat(new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled())).isNotNull();
  }

  static Stream<Arguments> unresolvableLinks() {
    return Stream.of(
        Arguments.of(List.of("a/self", "self"), "a/self", "never resolves"),
        Arguments.of(List.of("loop1", "loop2", "loop2", "loop1"), "loop1", "never resolves"),
        Arguments.of(List.of("a/b", "..", "a/c", "b/.."), "a/c", "points above the context root"),
        Arguments.of(List.of("in", "d/x", "d", "d/y"), "d", "never resolves"));
  }

  /**
   * A loop of symlinks, or a link that climbs out through another link, would make the gateway
   * refuse the upload; the walk refuses it first, naming the link.
   */
  @ParameterizedTest
  @MethodSource("unresolvableLinks")
  void refusesLinksThatLoopOrClimbOutThroughOtherLinks(
      List<String> linksAndTargets, String named, String why) throws IOException {
    write("Dockerfile", "FROM scratch\n");
    for (int i = 0; i < linksAndTargets.size(); i += 2) {
      Path link = context.resolve(linksAndTargets.get(i));
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(linksAndTargets.get(i + 1)));
    }

    assertThatThrownBy(() -> walker().scan(context, none(), "Dockerfile"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the build context holds the symlink " + named + " -> ")
        .hasMessageContaining(why)
        .hasMessageContaining("add it to .dockerignore");
  }

  @Test
  void readsAFileAgainWhenItChangedWhileRead() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("log.txt", "one\n");
    AtomicInteger opens = new AtomicInteger();
    FileDigester.Opener appendsOnFirstOpen =
        file -> {
          if (file.endsWith("log.txt") && opens.getAndIncrement() == 0) {
            Files.writeString(file, "two\n", StandardOpenOption.APPEND);
          }
          return open(file);
        };

    BuildHash hash = hashWith(new FileDigester(1, appendsOnFirstOpen));

    assertThat(opens).hasValue(2);
    assertThat(hash)
        .isEqualTo(
            new BuildHasher()
                .hashDirectory(context, walker().walk(context, none(), "Dockerfile"), inputs));
  }

  @Test
  void failsNamingAFileThatKeepsChanging() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("log.txt", "one\n");
    FileDigester.Opener appendsEveryTime =
        file -> {
          if (file.endsWith("log.txt")) {
            Files.writeString(file, "more\n", StandardOpenOption.APPEND);
          }
          return open(file);
        };

    assertThatThrownBy(() -> hashWith(new FileDigester(1, appendsEveryTime)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tried to hash log.txt in the build context")
        .hasMessageContaining("changed while kiln read it")
        .hasMessageContaining("add log.txt to .dockerignore");
  }

  @Test
  void failsWhenAFileLostItsExecuteBitAfterTheWalk() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("run.sh", "echo\n");
    Files.setPosixFilePermissions(
        context.resolve("run.sh"), PosixFilePermissions.fromString("rwx------"));
    ContextScan scan = walker().scan(context, none(), "Dockerfile");
    Files.setPosixFilePermissions(
        context.resolve("run.sh"), PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("run.sh")
        .hasMessageContaining("changed its type or mode");
  }

  @Test
  void failsNamingAFileThatDisappearedAfterTheWalk() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("tmp/editor.swp", "x");
    ContextScan scan = walker().scan(context, none(), "Dockerfile");
    Files.delete(context.resolve("tmp/editor.swp"));

    assertThatThrownBy(() -> new BuildHasher().hashDirectory(scan, inputs, StatCache.disabled()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tmp/editor.swp")
        .hasMessageContaining("disappeared")
        .hasMessageContaining("run again");
  }

  /** Root reads any file, so the refusal comes from the opener, as the kernel would give it. */
  @Test
  void failsNamingAnUnreadableFileAndSayingHowToFixIt() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("secret/key.pem", "x");
    FileDigester.Opener denied =
        file -> {
          if (file.endsWith("key.pem")) {
            throw new AccessDeniedException(file.toString());
          }
          return open(file);
        };

    assertThatThrownBy(() -> hashWith(new FileDigester(2, denied)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tried to hash secret/key.pem in the build context")
        .hasMessageContaining("permission was denied")
        .hasMessageContaining("fix its permissions")
        .hasMessageContaining(".dockerignore")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).hasValue("secret/key.pem"));
  }

  private BuildHash hashWith(FileDigester digester) {
    ContextScan scan = walker().scan(context, none(), "Dockerfile");
    return new BuildHasher(digester).hashDirectory(scan, inputs, StatCache.disabled());
  }

  private static ReadableByteChannel open(Path file) throws IOException {
    return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  private static ContextWalker walker() {
    return new ContextWalker();
  }

  private static DockerIgnore none() {
    return DockerIgnore.none();
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
