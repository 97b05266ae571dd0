package dev.kiln.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLocatorTest {
  @TempDir Path dir;

  @Test
  void prefersKilnYmlOverOktetoYml() throws IOException {
    Files.writeString(dir.resolve("okteto.yml"), "build: {}\n");
    Files.writeString(dir.resolve("kiln.yml"), "build: {}\n");

    assertThat(ManifestLocator.locate(dir, null))
        .isEqualTo(new ManifestLocator.Located(dir.resolve("kiln.yml"), "kiln.yml"));
  }

  @Test
  void fallsBackToOktetoYml() throws IOException {
    Files.writeString(dir.resolve("okteto.yml"), "build: {}\n");

    assertThat(ManifestLocator.locate(dir, null).displayName()).isEqualTo("okteto.yml");
  }

  @Test
  void usesTheFileOptionAsTyped() throws IOException {
    Files.createDirectories(dir.resolve("examples"));
    Files.writeString(dir.resolve("examples/other.yml"), "build: {}\n");

    assertThat(ManifestLocator.locate(dir, "examples/other.yml"))
        .isEqualTo(
            new ManifestLocator.Located(dir.resolve("examples/other.yml"), "examples/other.yml"));
  }

  @Test
  void saysWhatToDoWhenThereIsNoManifest() {
    assertThatThrownBy(() -> ManifestLocator.locate(dir, null))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("tried to find kiln.yml or okteto.yml in " + dir)
        .hasMessageContaining("pass -f FILE");
    assertThatThrownBy(() -> ManifestLocator.locate(dir, "nope.yml"))
        .hasMessageContaining("tried to read the manifest nope.yml but there is no such file");
  }
}
