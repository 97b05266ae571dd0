package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry.Kind;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContextWalkerTest {

  @TempDir Path context;

  private final ContextWalker walker = new ContextWalker();

  @Test
  void listsTheTreeWithEmptyDirectoriesInByteOrder() throws IOException {
    write("Dockerfile");
    Files.createDirectories(context.resolve("a/b"));
    Files.createDirectories(context.resolve("empty"));
    for (String name : List.of("a-b", "B", "é", "\uFFFD", "\uD83D\uDE00")) {
      write(name);
    }

    assertThat(paths(walk("")))
        .containsExactly(
            "B", "Dockerfile", "a", "a-b", "a/b", "empty", "é", "\uFFFD", "\uD83D\uDE00");
    assertThat(walk(""))
        .filteredOn(e -> e.path().equals("empty"))
        .containsExactly(ContextEntry.directory("empty"));
  }

  @Test
  void neverWalksAnIgnoredDirectoryNoNegationCanReach() throws IOException {
    write("Dockerfile");
    write("node_modules/pkg/index.js");
    // walking into node_modules would hit this socket, which the walker refuses
    socket("node_modules/pkg/daemon.sock");

    List<ContextEntry> entries = walk("node_modules\n!src/*.js\n");

    assertThat(paths(entries)).containsExactly("Dockerfile");
  }

  @ParameterizedTest
  @ValueSource(strings = {"node_modules\n!node_modules/keep.js\n", "*\n!**/*.js\n"})
  void looksInsideAnIgnoredDirectoryWhenANegationCanReachIt(String rules) throws IOException {
    write("Dockerfile");
    write("node_modules/keep.js");
    write("node_modules/drop.txt");

    assertThat(paths(walk(rules)))
        .contains("node_modules", "node_modules/keep.js")
        .doesNotContain("node_modules/drop.txt");
  }

  @Test
  void listsTheDirectoriesOnTheWayToAReincludedFile() throws IOException {
    write("Dockerfile");
    write("docs/a/keep.md");
    write("docs/a/other.md");
    write("docs/other.md");

    List<ContextEntry> entries = walk("docs\n!docs/a/keep.md\n");

    assertThat(paths(entries)).containsExactly("Dockerfile", "docs", "docs/a", "docs/a/keep.md");
    assertThat(entries.get(1).kind()).isEqualTo(Kind.DIRECTORY);
  }

  @Test
  void keepsSymlinksAsLinksWithoutFollowingThem() throws IOException {
    write("Dockerfile");
    write("real/inside.txt");
    Files.createSymbolicLink(context.resolve("to-dir"), Path.of("real"));
    Files.createSymbolicLink(context.resolve("dangling"), Path.of("nowhere/at/all"));
    Files.createSymbolicLink(context.resolve("absolute"), Path.of("/app/bin/tool"));

    List<ContextEntry> entries = walk("");

    assertThat(entries)
        .contains(
            ContextEntry.symlink("to-dir", "real"),
            ContextEntry.symlink("dangling", "nowhere/at/all"),
            ContextEntry.symlink("absolute", "/app/bin/tool"));
    assertThat(paths(entries)).doesNotContain("to-dir/inside.txt");
  }

  @Test
  void refusesASymlinkThatClimbsAboveTheContext() throws IOException {
    write("Dockerfile");
    Files.createDirectories(context.resolve("sub"));
    Files.createSymbolicLink(context.resolve("sub/up"), Path.of("../../etc/passwd"));

    assertThatThrownBy(() -> walk(""))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sub/up -> ../../etc/passwd")
        .hasMessageContaining(".dockerignore");
    assertThat(paths(walk("sub\n"))).containsExactly("Dockerfile");
  }

  @Test
  void forcesTheDockerfileAndItsDirectoriesInEvenWhenIgnored() throws IOException {
    write("docker/build/app.Dockerfile");
    write("docker/build/secret.txt");
    write("src/main.go");

    List<ContextEntry> entries =
        walker.walk(
            context, DockerIgnore.parse("docker\n*.Dockerfile\n"), "./docker/build/app.Dockerfile");

    assertThat(paths(entries))
        .containsExactly(
            "docker", "docker/build", "docker/build/app.Dockerfile", "src", "src/main.go");
  }

  @Test
  void marksFilesWithTheOwnerExecuteBitExecutable() throws IOException {
    write("Dockerfile");
    write("run.sh");
    write("group-only.sh");
    Files.setPosixFilePermissions(
        context.resolve("run.sh"), PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(
        context.resolve("group-only.sh"), PosixFilePermissions.fromString("rw-r-xr-x"));

    assertThat(walk(""))
        .contains(
            ContextEntry.file("run.sh", true, 1), ContextEntry.file("group-only.sh", false, 1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../Dockerfile", "/etc/Dockerfile", "a/../../Dockerfile", ".", "./"})
  void refusesADockerfileOutsideTheContextNamingTheField(String dockerfile) throws IOException {
    write("Dockerfile");

    assertThatThrownBy(() -> walker.walk(context, DockerIgnore.none(), dockerfile))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(dockerfile)
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).hasValue("dockerfile"));
  }

  @Test
  void saysSoWhenTheDockerfileIsMissing() {
    assertThatThrownBy(() -> walker.walk(context, DockerIgnore.none(), "build/Dockerfile"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the Dockerfile build/Dockerfile is not in the context");
  }

  /** Past Linux's PATH_MAX the lstat fails; a name that is not UTF-8 must not change the error. */
  @Test
  void saysAPathIsTooLongWhenItsNameIsNotUtf8() throws Exception {
    write("Dockerfile");
    Path deep = context;
    while (deep.toString().length() + 1 + 255 < 4096) {
      deep = Files.createDirectory(deep.resolve("a".repeat(254)));
    }
    // only a process sitting in the directory can make a name whose whole path is that long
    Process touch =
        new ProcessBuilder("sh", "-c", "touch \"$(printf '\\377%.0s' $(seq 255))\"")
            .directory(deep.toFile())
            .start();
    assertThat(touch.waitFor()).isZero();

    try {
      assertThatThrownBy(() -> walk(""))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("its path is too long for this system")
          .hasMessageContaining("\\xff\\xff");
    } finally {
      // the temp directory's cleanup cannot reach it either
      new ProcessBuilder("sh", "-c", "rm -f ./*").directory(deep.toFile()).start().waitFor();
    }
  }

  @Test
  void refusesSpecialFilesNamingThem() throws IOException {
    write("Dockerfile");
    socket("agent.sock");

    assertThatThrownBy(() -> walk(""))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("agent.sock")
        .hasMessageContaining(".dockerignore");
  }

  @Test
  void keepsTheBytesOfFileNamesThatAreNotUtf8() throws Exception {
    write("Dockerfile");
    // the shell writes the raw bytes, independent of how the JVM decodes names
    shell("touch \"$(printf 'bad\\377')\" \"$(printf 'caf\\303\\251')\" \"$(printf '?\\376')\"");

    assertThat(walk(""))
        .extracting(e -> HexFormat.of().formatHex(ContextNames.encode(e.path())))
        .containsExactly(
            "3ffe",
            HexFormat.of().formatHex("Dockerfile".getBytes(StandardCharsets.US_ASCII)),
            "626164ff",
            "636166c3a9");
  }

  /**
   * Under the C locale the JVM decodes every non-ASCII byte of a name to '?'; the walk still lists
   * the same bytes, and the hash is the same as under a UTF-8 locale.
   */
  @Test
  void listsTheSameBytesAndHashUnderTheCLocale() throws Exception {
    write("Dockerfile");
    write("plain?");
    shell("touch \"$(printf 'bad\\377')\" \"$(printf 'caf\\303\\251')\" \"$(printf '?\\376')\"");
    shell("ln -s \"$(printf 't\\303\\251\\377')\" link");

    String here = PrintWalk.describe(context);
    String underC = PrintWalk.inChildJvm(context, "C");

    assertThat(underC).isEqualTo(here).contains("626164ff").contains("74c3a9ff");
  }

  private void shell(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).directory(context.toFile()).start();
    assertThat(process.waitFor()).isZero();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void listsTheSameOnAnyNumberOfThreads(int parallelism) throws IOException {
    write("Dockerfile");
    for (int i = 0; i < 300; i++) {
      write("d" + (i % 4) + "/e" + (i % 3) + "/f" + i + (i % 2 == 0 ? ".js" : ".txt"));
    }
    write("d1-x");
    write("d1.y/z");
    write("d2/e1/drop.txt");
    Files.createDirectories(context.resolve("empty/inner"));
    String rules = "d2\n!d2/e1/*.js\n*/e0\n";

    ContextScan oneThread =
        new ContextWalker(1).scan(context, DockerIgnore.parse(rules), "Dockerfile");
    ContextScan many =
        new ContextWalker(parallelism).scan(context, DockerIgnore.parse(rules), "Dockerfile");

    assertThat(many.entries()).isEqualTo(oneThread.entries());
    assertThat(many.stats()).isEqualTo(oneThread.stats());
    assertThat(paths(many.entries()))
        .contains("d1-x", "d1.y/z", "d2", "d2/e1", "d2/e1/f10.js", "empty/inner")
        .doesNotContain("d0/e0", "d2/e1/drop.txt", "d2/e2");
  }

  @Test
  void walksATreeNearlyAsDeepAsPathMaxAllows() throws Exception {
    write("Dockerfile");
    // 1900 levels: deeper than a recursive walk's stack takes, within Linux's 4096-byte PATH_MAX
    String deep = String.join("/", Collections.nCopies(1900, "a"));
    write(deep + "/leaf");

    try {
      List<ContextEntry> entries = walk("");

      assertThat(entries).hasSize(1 + 1900 + 1);
      assertThat(entries.getLast().path()).isEqualTo(deep + "/leaf");
    } finally {
      // JUnit's clean-up takes minutes on such a chain; rm works with relative steps
      assertThat(new ProcessBuilder("rm", "-rf", "a").directory(context.toFile()).start().waitFor())
          .isZero();
    }
  }

  @Test
  void keepsTheStatOfEveryEntryForTheHasher() throws IOException {
    write("Dockerfile");
    write("src/run.sh");
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/run.sh"));

    ContextScan scan = walker.scan(context, DockerIgnore.none(), "Dockerfile");

    assertThat(scan.stats()).hasSameSizeAs(scan.entries());
    for (int i = 0; i < scan.entries().size(); i++) {
      Path node = context.resolve(scan.entries().get(i).path());
      assertThat(scan.stats().get(i)).isEqualTo(FileStat.read(node));
    }
    assertThat(scan.stats().get(paths(scan.entries()).indexOf("link")).isSymbolicLink()).isTrue();
  }

  @Test
  void failsNamingAPathTooLongForTheSystem() throws Exception {
    write("Dockerfile");
    // 25 levels of 200-byte names pass Linux's PATH_MAX (4096); only relative steps reach them
    String name = "d".repeat(200);
    Process mkdirs =
        new ProcessBuilder(
                "sh",
                "-c",
                "for i in $(seq 25); do mkdir " + name + " && cd " + name + "; done; touch f")
            .directory(context.toFile())
            .start();
    assertThat(mkdirs.waitFor()).isZero();
    try {
      assertThatThrownBy(() -> walk(""))
          .isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("tried to list " + name + "/" + name)
          .hasMessageContaining("too long for this system")
          .hasMessageContaining(".dockerignore");
      assertThat(paths(walk(name + "\n"))).containsExactly("Dockerfile");
    } finally {
      // the JDK deletes by absolute path, which is too long here; rm walks with relative steps
      assertThat(
              new ProcessBuilder("rm", "-rf", name).directory(context.toFile()).start().waitFor())
          .isZero();
    }
  }

  private List<ContextEntry> walk(String rules) {
    return walker.walk(context, DockerIgnore.parse(rules), "Dockerfile");
  }

  private static List<String> paths(List<ContextEntry> entries) {
    return entries.stream().map(ContextEntry::path).toList();
  }

  private void write(String path) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "x");
  }

  private void socket(String path) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.bind(UnixDomainSocketAddress.of(file));
    }
  }
}
