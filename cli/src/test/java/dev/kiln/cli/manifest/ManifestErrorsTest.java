package dev.kiln.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest error names file:line, what is wrong and what to do. */
class ManifestErrorsTest {
  @TempDir Path root;
  private Path project;

  @BeforeEach
  void createProject() throws IOException {
    project = Files.createDirectories(root.resolve("project"));
    Files.createDirectories(project.resolve("api"));
    Files.writeString(project.resolve("api/Dockerfile"), "FROM scratch\n");
    Files.createDirectories(project.resolve("empty"));
    Files.writeString(project.resolve("notes.txt"), "not a directory\n");
    Path outside = Files.createDirectories(root.resolve("outside"));
    Files.writeString(outside.resolve("Dockerfile"), "FROM scratch\n");
    Files.createSymbolicLink(project.resolve("escape"), outside);
  }

  static Stream<Arguments> brokenManifests() {
    return Stream.of(
        error("yaml syntax", "build:\n  api:\n    context: api\n   target: x\n", 4, "invalid YAML"),
        error("duplicate key", "build:\n  api: api\n  api: api\n", 3, "key 'api' appears twice"),
        error("empty file", "# nothing\n", 1, "the manifest is empty"),
        error("not a map", "- api\n", 1, "must be a map with a build: section"),
        error(
            "unknown top-level key",
            "build:\n  api: api\nbiuld: {}\n",
            3,
            "unknown top-level key 'biuld'"),
        error("no build section", "name: shop\n", 1, "there is no build: section"),
        error("build is a list", "build:\n  - api\n", 2, "build must be a map but is a list"),
        error("build names no image", "build: {}\n", 1, "names no image"),
        error("invalid image name", "build:\n  Api: api\n", 2, "the image name 'Api' is invalid"),
        error(
            "image is a list",
            "build:\n  api: [a]\n",
            2,
            "image 'api' must be a map of build settings"),
        error(
            "unknown image key",
            "build:\n  api:\n    context: api\n    dockerfil: x\n",
            4,
            "unknown key 'dockerfil' in image 'api'; use only context, dockerfile, target, args, secrets, depends_on"),
        error(
            "context is a list",
            "build:\n  api:\n    context: [api]\n",
            3,
            "context must be a string but is a list"),
        error(
            "context is missing",
            "build:\n  api:\n    context: nope\n",
            3,
            "context 'nope' of image 'api' does not exist"),
        error(
            "context is a file",
            "build:\n  api:\n    context: notes.txt\n",
            3,
            "is not a directory"),
        error(
            "context outside",
            "build:\n  api:\n    context: ../outside\n",
            3,
            "context '../outside' of image 'api' lies outside the manifest's folder"),
        error(
            "context symlink outside",
            "build:\n  api:\n    context: escape\n",
            3,
            "lies outside the manifest's folder (a symlink leads to"),
        error(
            "missing Dockerfile",
            "build:\n  api:\n    context: empty\n",
            2,
            "image 'api' has no Dockerfile at empty/Dockerfile"),
        error(
            "named Dockerfile missing",
            "build:\n  api:\n    context: api\n    dockerfile: Other\n",
            4,
            "image 'api' has no Dockerfile at api/Other"),
        error(
            "Dockerfile outside context",
            "build:\n  api:\n    context: api\n    dockerfile: ../notes.txt\n",
            4,
            "dockerfile '../notes.txt' of image 'api' lies outside its context api"),
        error(
            "args is a string",
            "build:\n  api:\n    context: api\n    args: A=1\n",
            4,
            "args must be a map but is a string"),
        error(
            "arg without value",
            "build:\n  api:\n    context: api\n    args:\n      A:\n",
            5,
            "build argument 'A' has no value"),
        error(
            "arg is a map",
            "build:\n  api:\n    context: api\n    args:\n      A: {b: 1}\n",
            5,
            "build argument 'A' must be a string but is a map"),
        error(
            "list arg without =",
            "build:\n  api:\n    context: api\n    args: [A]\n",
            4,
            "build argument 'A' has no value"),
        error(
            "invalid arg name",
            "build:\n  api:\n    context: api\n    args: {1A: x}\n",
            4,
            "'1A' is not a valid build argument name"),
        error(
            "secret file missing",
            "build:\n  api:\n    context: api\n    secrets:\n      npmrc: ~/.npmrc\n",
            5,
            "secret 'npmrc' of image 'api' names ~/.npmrc"),
        error(
            "depends_on is a map",
            "build:\n  api:\n    context: api\n    depends_on: {a: b}\n",
            4,
            "depends_on must be a list but is a map"),
        error(
            "unknown dependency",
            "build:\n  api:\n    context: api\n    depends_on:\n      - bsae\n",
            5,
            "image 'api' depends on 'bsae', which is not in the build section; name one of api"),
        error(
            "self dependency",
            "build:\n  api:\n    context: api\n    depends_on: [api]\n",
            4,
            "in a cycle: api -> api"),
        error(
            "dependency cycle",
            "build:\n  a:\n    context: api\n    depends_on: [b]\n  b:\n    context: api\n    depends_on: [c]\n"
                + "  c:\n    context: api\n    depends_on: [a]\n",
            4,
            "in a cycle: a -> b -> c -> a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenManifests")
  void namesFileLineProblemAndFix(String name, String yaml, int line, String problem)
      throws IOException {
    Path file = Files.writeString(project.resolve("kiln.yml"), yaml);

    assertThatThrownBy(() -> new ManifestParser(root.resolve("home")).parse(file, "kiln.yml"))
        .isInstanceOfSatisfying(
            ManifestException.class,
            e -> {
              assertThat(e.location().line()).isEqualTo(line);
              assertThat(e.getMessage()).startsWith("kiln.yml:" + line + ": ").contains(problem);
              // "<what is wrong>; <what to do>"
              assertThat(e.getMessage().substring(e.getMessage().indexOf(problem))).contains("; ");
            });
  }

  @Test
  void namesTheKnownImagesForAnUnknownOneOnTheCommandLine() throws IOException {
    Path file = Files.writeString(project.resolve("kiln.yml"), "# images\nbuild:\n  api: api\n");
    Manifest manifest = new ManifestParser(root).parse(file, "kiln.yml");

    assertThatThrownBy(() -> manifest.select(List.of("web")))
        .isInstanceOf(ManifestException.class)
        .hasMessage("kiln.yml:2: there is no image 'web' in the build section; name one of api");
  }

  @Test
  void rejectsAFileThatIsNotUtf8() throws IOException {
    Path file = Files.write(project.resolve("kiln.yml"), new byte[] {'b', ':', ' ', (byte) 0xff});

    assertThatThrownBy(() -> new ManifestParser(root).parse(file, "kiln.yml"))
        .hasMessageContaining("kiln.yml: the file is not UTF-8 text; save it as UTF-8");
  }

  private static Arguments error(String name, String yaml, int line, String problem) {
    return Arguments.of(name, yaml, line, problem);
  }
}
