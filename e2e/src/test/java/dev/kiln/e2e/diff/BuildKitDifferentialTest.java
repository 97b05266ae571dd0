package dev.kiln.e2e.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.e2e.diff.GeneratedContext.Kind;
import dev.kiln.e2e.diff.GeneratedContext.Node;
import dev.kiln.testkit.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The proof that kiln hashes what BuildKit sees: for generated contexts, the real BuildKit of the
 * test stack runs {@code COPY . /ctx} (its dockerfile frontend applying {@code .dockerignore} or
 * {@code Dockerfile.dockerignore} itself), and the tree it produced must be exactly kiln's listing:
 * the same paths, kinds, executable bits and link targets. The one expected difference: kiln always
 * lists the Dockerfile (BuildKit reads it from the context archive), while {@code COPY} leaves it
 * out when it is ignored.
 */
class BuildKitDifferentialTest {

  private static BuildKitCopy buildKit;

  @BeforeContainer
  static void stack() {
    StackEndpoints endpoints = StackEndpoints.fromEnvironment().requireReachable();
    buildKit = new BuildKitCopy(Buildctl.locate(System.getenv()), endpoints.buildkitAddr());
  }

  @Property(tries = 25)
  void kilnListsExactlyWhatBuildKitCopies(@ForAll("contexts") GeneratedContext context)
      throws Exception {
    compare(context);
  }

  @Provide
  Arbitrary<GeneratedContext> contexts() {
    return ContextGenerators.contexts();
  }

  /** The rules of issue 3 in one tree, so they are checked on every run whatever is generated. */
  @Example
  void theIssuesRulesHoldOnTheRealBuildKit() throws Exception {
    compare(
        new GeneratedContext(
            List.of(
                node("src", Kind.DIRECTORY, ""),
                node("src/app.py", Kind.FILE, "py"),
                node("src/notes.txt", Kind.FILE, "txt"),
                node("src/run me.sh", Kind.EXECUTABLE, "sh"),
                node("vendor", Kind.DIRECTORY, ""),
                node("vendor/keep", Kind.DIRECTORY, ""),
                node("vendor/keep/é.py", Kind.FILE, "kept"),
                node("foo", Kind.DIRECTORY, ""),
                node("foo/bar", Kind.FILE, "bar"),
                node("empty", Kind.DIRECTORY, ""),
                node("link", Kind.SYMLINK, "src/app.py"),
                node("abs", Kind.SYMLINK, "/etc/passwd"),
                node("[x]", Kind.FILE, "literal"),
                // names and a target that are not UTF-8: the bytes 0xff, 0x80 and a lone 0xc3
                node("bad\uDCFF", Kind.FILE, "raw"),
                node("d\uDC80", Kind.DIRECTORY, ""),
                node("d\uDC80/in\uDCC3.py", Kind.FILE, "raw"),
                node("rawlink", Kind.SYMLINK, "t\uDCFF/é")),
            List.of(
                "# comment",
                "",
                "*",
                "!**/*.py",
                "!  src/run me.sh  ",
                "!empty/",
                "!link",
                "!abs",
                "!bad?",
                "!rawlink",
                "!/foo/bar",
                "!\\[x\\]",
                "vendor/keep/?.py",
                "!vendor/**/é.py",
                "Dockerfile"),
            List.of()));
  }

  /**
   * Both must agree: the same listing, or both refusing the ignore rules (BuildKit fails the solve
   * on a pattern it cannot use, kiln says so before any upload).
   */
  private static void compare(GeneratedContext context) throws Exception {
    Path root = Files.createTempDirectory("kiln-diff-");
    try {
      Path dir = Files.createDirectory(root.resolve("context"));
      context.writeTo(dir);

      Map<String, String> fromKiln;
      try {
        fromKiln = kilnListing(dir);
      } catch (InvalidInputException refused) {
        assertThatThrownBy(() -> buildKit.copy(dir, root))
            .as("kiln refused %s with: %s", context, refused.getMessage())
            .hasMessageContaining("pattern");
        return;
      }
      Map<String, String> fromBuildKit = buildKit.copy(dir, root);

      // shown with \xff for bytes that are not UTF-8 ('\\' is in no generated name)
      assertThat(shown(fromKiln)).as("%s", context).isEqualTo(shown(fromBuildKit));
    } finally {
      delete(root);
    }
  }

  private static Map<String, String> shown(Map<String, String> listing) {
    Map<String, String> shown = new TreeMap<>();
    listing.forEach((k, v) -> shown.put(ContextNames.display(k), ContextNames.display(v)));
    return shown;
  }

  private static Map<String, String> kilnListing(Path dir) {
    DockerIgnore ignore = DockerIgnore.forDockerfile(dir, "Dockerfile");
    List<ContextEntry> entries = new ContextWalker().walk(dir, ignore, "Dockerfile");
    Map<String, String> listing = new TreeMap<>();
    for (ContextEntry entry : entries) {
      if (entry.path().equals("Dockerfile") && ignore.excludes("Dockerfile")) {
        continue; // forced in for BuildKit to read, but not copied
      }
      listing.put(
          entry.path(),
          switch (entry.kind()) {
            case DIRECTORY -> BuildKitCopy.describeDirectory();
            case FILE -> BuildKitCopy.describeFile(entry.executable());
            case SYMLINK -> BuildKitCopy.describeLink(entry.linkTarget());
          });
    }
    return listing;
  }

  private static Node node(String path, Kind kind, String data) {
    return new Node(path, kind, data);
  }

  private static void delete(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
