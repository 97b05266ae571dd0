package dev.kiln.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestParserTest {
  @TempDir Path root;
  private Path project;
  private Path home;

  @BeforeEach
  void createProject() throws IOException {
    project = Files.createDirectories(root.resolve("project"));
    home = Files.createDirectories(root.resolve("home"));
    write("api/Dockerfile", "FROM scratch\n");
    write("api/build/Dockerfile.release", "FROM scratch\n");
    write("base/Dockerfile", "FROM scratch\n");
    write("Dockerfile", "FROM scratch\n");
  }

  @Test
  void readsEveryFieldOfAnImage() throws IOException {
    Files.writeString(home.resolve(".npmrc"), "token");
    Manifest manifest =
        parse(
            """
            build:
              base:
                context: base
              api:
                context: api
                dockerfile: build/Dockerfile.release
                target: release
                args:
                  GO_VERSION: 1.20
                  DEBUG: true
                  NAME: "x y"
                secrets:
                  npmrc: ~/.npmrc
                depends_on: [base]
            """);

    assertThat(manifest.images()).containsOnlyKeys("base", "api");
    ImageSpec api = manifest.images().get("api");
    assertThat(api.location()).hasToString("kiln.yml:4");
    assertThat(api.contextDir()).isEqualTo(project.resolve("api").toRealPath());
    assertThat(api.dockerfile()).isEqualTo("build/Dockerfile.release");
    assertThat(api.displayPath()).isEqualTo("api/build/Dockerfile.release");
    assertThat(api.target()).isEqualTo("release");
    assertThat(api.args())
        .containsExactly(
            Map.entry("DEBUG", "true"), Map.entry("GO_VERSION", "1.20"), Map.entry("NAME", "x y"));
    assertThat(api.secrets()).containsExactly(Map.entry("npmrc", home.resolve(".npmrc")));
    assertThat(api.dependsOn()).containsExactly("base");
  }

  @Test
  void defaultsToTheManifestFolderAndItsDockerfile() throws IOException {
    Manifest manifest = parse("build:\n  app: {}\n  short: api\n  bare:\n");

    ImageSpec app = manifest.images().get("app");
    assertThat(app.contextDir()).isEqualTo(project.toRealPath());
    assertThat(app.dockerfile()).isEqualTo("Dockerfile");
    assertThat(app.displayPath()).isEqualTo("Dockerfile");
    assertThat(app.target()).isEmpty();
    assertThat(app.args()).isEmpty();
    assertThat(manifest.images().get("short").displayPath()).isEqualTo("api/Dockerfile");
    assertThat(manifest.images().get("bare").contextDir()).isEqualTo(project.toRealPath());
  }

  @Test
  void acceptsArgsAsAListOfPairs() throws IOException {
    Manifest manifest =
        parse(
            "build:\n  api:\n    context: api\n    args:\n      - A=1\n      - B=x=y\n      - C=\n");

    assertThat(manifest.images().get("api").args())
        .containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"), Map.entry("C", ""));
  }

  @Test
  void ignoresOktetoSectionsOtherThanBuild() throws IOException {
    write("okteto.yml", "name: shop\ndeploy:\n  - kubectl apply -f k8s\nbuild:\n  api: api\n");

    Manifest manifest = new ManifestParser(home).parse(project.resolve("okteto.yml"), "okteto.yml");

    assertThat(manifest.images()).containsOnlyKeys("api");
    assertThat(manifest.buildSection()).hasToString("okteto.yml:4");
  }

  @Test
  void selectsImagesAfterTheirDependencies() throws IOException {
    Manifest manifest =
        parse(
            """
            build:
              web:
                context: api
                depends_on: [api]
              api:
                context: api
                depends_on: base
              base:
                context: base
              tools: base
            """);

    assertThat(manifest.select(List.of()).stream().map(ImageSpec::name))
        .containsExactly("base", "api", "web", "tools");
    assertThat(manifest.select(List.of("web")).stream().map(ImageSpec::name))
        .containsExactly("base", "api", "web");
    assertThat(manifest.select(List.of("tools", "api")).stream().map(ImageSpec::name))
        .containsExactly("tools", "base", "api");
  }

  @Test
  void resolvesAContextThatIsASymlinkInsideTheFolder() throws IOException {
    Files.createSymbolicLink(project.resolve("current"), project.resolve("api"));

    Manifest manifest = parse("build:\n  api:\n    context: current\n");

    assertThat(manifest.images().get("api").contextDir())
        .isEqualTo(project.resolve("api").toRealPath());
  }

  private Manifest parse(String yaml) throws IOException {
    Path file = write("kiln.yml", yaml);
    return new ManifestParser(home).parse(file, "kiln.yml");
  }

  private Path write(String path, String content) throws IOException {
    Path file = project.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }
}
