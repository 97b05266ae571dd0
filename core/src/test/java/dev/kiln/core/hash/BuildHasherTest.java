package dev.kiln.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextPacker;
import dev.kiln.core.context.ContextWalker;
import dev.kiln.core.context.DockerIgnore;
import dev.kiln.core.context.InvalidContextException;
import dev.kiln.core.image.BuildHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildHasherTest {

  @TempDir Path context;

  private final BuildHasher hasher = new BuildHasher();
  private final BuildInputs inputs = BuildInputs.of("Dockerfile", "acme/kiln");

  @BeforeEach
  void sampleTree() throws IOException {
    write("Dockerfile", "FROM scratch\nCOPY . /\n");
    Files.createDirectories(context.resolve("src/empty"));
    write("src/main.sh", "echo hi\n");
    Files.setPosixFilePermissions(
        context.resolve("src/main.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/main.sh"));
    write("é-ünïcode-" + "x".repeat(120), "long name");
  }

  @Test
  void directoryAndThePackedArchiveHashTheSame() {
    List<ContextEntry> entries = walk();
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new ContextPacker().pack(context, entries, tar);

    BuildHash fromDirectory = hasher.hashDirectory(context, entries, inputs);
    BuildHash fromArchive = hasher.hashArchive(new ByteArrayInputStream(tar.toByteArray()), inputs);

    assertThat(fromArchive).isEqualTo(fromDirectory);
  }

  @Test
  void archiveOrderMetadataAndImplicitDirectoriesDoNotMatter() throws IOException {
    // another tool's tar: reverse order, "./" prefixes, no directory entries, real mtimes and
    // owners, group-writable modes
    List<ContextEntry> entries = new ArrayList<>(walk());
    Collections.reverse(entries);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      for (ContextEntry entry : entries) {
        if (entry.kind() == ContextEntry.Kind.DIRECTORY && !entry.path().equals("src/empty")) {
          continue;
        }
        TarArchiveEntry tarEntry = tarEntryFor(entry);
        tar.putArchiveEntry(tarEntry);
        if (entry.kind() == ContextEntry.Kind.FILE) {
          tar.write(Files.readAllBytes(context.resolve(entry.path())));
        }
        tar.closeArchiveEntry();
      }
    }

    assertThat(hasher.hashArchive(new ByteArrayInputStream(out.toByteArray()), inputs))
        .isEqualTo(hasher.hashDirectory(context, walk(), inputs));
  }

  @Test
  void aHardLinkHashesLikeTheFileItSharesContentWith() throws IOException {
    write("copy.sh", "echo hi\n");
    Files.setPosixFilePermissions(
        context.resolve("copy.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    BuildHash withCopy = hasher.hashDirectory(context, walk(), inputs);
    Files.delete(context.resolve("copy.sh"));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new ContextPacker().pack(context, walk(), out);
    byte[] packed = out.toByteArray();
    byte[] withLink = appendHardLink(packed, "copy.sh", "src/main.sh");

    assertThat(hasher.hashArchive(new ByteArrayInputStream(withLink), inputs)).isEqualTo(withCopy);
  }

  @Test
  void ignoresModificationTimesAndIgnoredFiles() throws IOException {
    write(".dockerignore", "*.log\n");
    write("build.log", "first run");
    BuildHash before = hash();

    write("build.log", "second run, different");
    Files.setLastModifiedTime(context.resolve("Dockerfile"), FileTime.fromMillis(123_456_789L));

    assertThat(hash()).isEqualTo(before);
  }

  @Test
  void changesWithEveryPartOfTheTree() throws IOException {
    List<BuildHash> hashes = new ArrayList<>();
    hashes.add(hash());
    write("src/main.sh", "echo bye\n");
    hashes.add(hash());
    Files.setPosixFilePermissions(
        context.resolve("src/main.sh"), PosixFilePermissions.fromString("rw-r--r--"));
    hashes.add(hash());
    Files.delete(context.resolve("link"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/other"));
    hashes.add(hash());
    Files.createDirectories(context.resolve("another-empty-dir"));
    hashes.add(hash());
    Files.move(context.resolve("src/main.sh"), context.resolve("src/renamed.sh"));
    hashes.add(hash());
    write("Dockerfile", "FROM scratch\n");
    hashes.add(hash());

    assertThat(hashes).doesNotHaveDuplicates();
  }

  @Test
  void changesWithEveryBuildInput() throws IOException {
    write("other/Dockerfile", "FROM scratch\nCOPY . /\n");
    BuildInputs base = inputs.withArg("A", "1");
    List<BuildInputs> variants =
        List.of(
            base,
            base.withTarget("release"),
            base.withPlatform("linux/amd64"),
            base.withPlatform("linux/arm64"),
            base.withArg("A", "2"),
            base.withArg("A", ""),
            base.withArg("A", null),
            base.withArg("B", "1"),
            base.withSecretDigest("npmrc", "a".repeat(64)),
            base.withSecretDigest("npmrc", "b".repeat(64)),
            base.withSecretDigest("other", "a".repeat(64)),
            new BuildInputs("Dockerfile", "", base.args(), null, null, "acme/other-cache"),
            new BuildInputs("other/Dockerfile", "", base.args(), null, null, "acme/kiln"));

    List<BuildHash> hashes =
        variants.stream().map(v -> hasher.hashDirectory(context, walk(), v)).toList();

    assertThat(hashes).doesNotHaveDuplicates();
  }

  @Test
  void theOrderOfArgumentsPlatformsAndSecretsDoesNotMatter() {
    BuildInputs oneWay =
        inputs
            .withArg("A", "1")
            .withArg("B", "2")
            .withPlatform("linux/amd64")
            .withPlatform("linux/arm64")
            .withSecretDigest("x", "a".repeat(64))
            .withSecretDigest("y", "b".repeat(64));
    BuildInputs otherWay =
        inputs
            .withSecretDigest("y", "b".repeat(64))
            .withSecretDigest("x", "a".repeat(64))
            .withPlatform("linux/arm64")
            .withPlatform("linux/amd64")
            .withArg("B", "2")
            .withArg("A", "1");

    assertThat(hasher.hashDirectory(context, walk(), otherWay))
        .isEqualTo(hasher.hashDirectory(context, walk(), oneWay));
  }

  @Test
  void aMissingDockerfileIsNamed() {
    List<ContextEntry> entries = walk();

    assertThatThrownBy(
            () -> hasher.hashDirectory(context, entries, BuildInputs.of("other/Dockerfile", "")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the Dockerfile other/Dockerfile is not in the context");
  }

  @Test
  void aMissingDockerfileInAnArchiveIsNamed() {
    byte[] tar = pack();

    assertThatThrownBy(
            () ->
                hasher.hashArchive(
                    new ByteArrayInputStream(tar), BuildInputs.of("build/Dockerfile", "")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the Dockerfile build/Dockerfile is not in the context");
  }

  @Test
  void refusesABrokenArchive() {
    byte[] tar = pack();
    byte[] truncated = Arrays.copyOf(tar, tar.length / 2);

    assertThatThrownBy(() -> hasher.hashArchive(new ByteArrayInputStream(truncated), inputs))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("truncated");
  }

  /** The hash of a fixed tree, pinned so that any change of the v1 encoding is noticed. */
  @Test
  void keepsTheVersion1EncodingStable(@TempDir Path fixed) throws IOException {
    Files.writeString(fixed.resolve("Dockerfile"), "FROM scratch\n");
    Files.createDirectories(fixed.resolve("d"));
    Files.writeString(fixed.resolve("d/a.txt"), "a");
    Files.createSymbolicLink(fixed.resolve("l"), Path.of("d/a.txt"));
    BuildInputs fixedInputs =
        BuildInputs.of("Dockerfile", "acme/kiln")
            .withArg("A", "1")
            .withArg("EMPTY", "")
            .withArg("UNSET", null)
            .withTarget("t")
            .withPlatform("linux/amd64")
            .withSecretDigest("s", "0".repeat(64));
    List<ContextEntry> entries = new ContextWalker().walk(fixed, DockerIgnore.none(), "Dockerfile");

    assertThat(hasher.hashDirectory(fixed, entries, fixedInputs).hex()).isEqualTo(GOLDEN_V1);
  }

  private static final String GOLDEN_V1 =
      "e79bfac6032a6badc797760d55f1e73fce5383bbc87f7196b23b6815f45f3b21";

  private BuildHash hash() {
    return hasher.hashDirectory(context, walk(), inputs);
  }

  private byte[] pack() {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    new ContextPacker().pack(context, walk(), tar);
    return tar.toByteArray();
  }

  private List<ContextEntry> walk() {
    return new ContextWalker()
        .walk(context, DockerIgnore.forDockerfile(context, "Dockerfile"), "Dockerfile");
  }

  private TarArchiveEntry tarEntryFor(ContextEntry entry) throws IOException {
    TarArchiveEntry tarEntry;
    switch (entry.kind()) {
      case DIRECTORY -> tarEntry = new TarArchiveEntry("./" + entry.path() + "/");
      case SYMLINK -> {
        tarEntry = new TarArchiveEntry("./" + entry.path(), TarArchiveEntry.LF_SYMLINK);
        tarEntry.setLinkName(entry.linkTarget());
      }
      default -> {
        tarEntry = new TarArchiveEntry("./" + entry.path());
        tarEntry.setSize(Files.size(context.resolve(entry.path())));
        tarEntry.setMode(entry.executable() ? 0100775 : 0100664);
      }
    }
    tarEntry.setModTime(FileTime.fromMillis(1_700_000_000_000L));
    tarEntry.setUserId(1000);
    tarEntry.setGroupId(1000);
    tarEntry.setUserName("cindy");
    tarEntry.setGroupName("staff");
    return tarEntry;
  }

  /** Replaces the end-of-archive marker of a packed tar with a hard link entry and a new one. */
  private static byte[] appendHardLink(byte[] packed, String name, String target)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(packed, 0, packed.length - 1024);
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
      link.setLinkName(target);
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
