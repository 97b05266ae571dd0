package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.image.BuildHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildHasherTest {

  @TempDir Path context;

  private final BuildHasher hasher = new BuildHasher();
  private final BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");

  @Test
  void directoryAndThePackedArchiveHashTheSame() throws IOException {
    sampleTree();

    List<ContextEntry> entries = walk();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new ContextPacker().pack(context, entries, tar);

    BuildHash fromDirectory = hasher.hashDirectory(context, entries, inputs);
    BuildHash fromArchive = hasher.hashArchive(new ByteArrayInputStream(tar.toByteArray()), inputs);
    assertThat(fromArchive).isEqualTo(fromDirectory);
  }

  @Test
  void aMissingDockerfileIsNamed() throws IOException {
    sampleTree();
    List<ContextEntry> entries = walk();

    assertThatThrownBy(
            () -> hasher.hashDirectory(context, entries, BuildInputs.of("other/Dockerfile", "")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the Dockerfile other/Dockerfile is not in the context");
  }

  private List<ContextEntry> walk() {
    return new ContextWalker()
        .walk(context, DockerIgnore.forDockerfile(context, "Dockerfile"), "Dockerfile");
  }

  private void sampleTree() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY . /\n");
    Files.createDirectories(context.resolve("src/empty"));
    Files.writeString(context.resolve("src/main.sh"), "echo hi\n");
    Files.setPosixFilePermissions(
        context.resolve("src/main.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/main.sh"));
    Files.writeString(context.resolve("é-ünïcode-" + "x".repeat(120)), "long name");
  }
}
