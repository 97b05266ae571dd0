package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.KilnException;
import dev.kiln.core.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextPackerTest {

  private static final String LONG_NAME = "dir-" + "d".repeat(120) + "/ünïcode-" + "f".repeat(150);

  @TempDir Path context;

  private final ContextPacker packer = new ContextPacker();

  @BeforeEach
  void sampleTree() throws IOException {
    write("Dockerfile", "FROM scratch\n");
    write("src/app.sh", "echo hi\n");
    write(LONG_NAME, "deep");
    Files.createDirectories(context.resolve("empty"));
    Files.createSymbolicLink(context.resolve("link"), Path.of("src/" + "t".repeat(140)));
    Files.setPosixFilePermissions(
        context.resolve("src/app.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void packingTheSameTreeTwiceGivesIdenticalBytes() {
    assertThat(pack()).isEqualTo(pack());
  }

  @Test
  void ignoresModificationTimesAndOwners() throws IOException {
    byte[] before = pack();

    for (String path : List.of("Dockerfile", "src", "src/app.sh", LONG_NAME)) {
      Files.setLastModifiedTime(
          context.resolve(path), FileTime.from(Instant.parse("2001-02-03T04:05:06Z")));
      Files.setAttribute(context.resolve(path), "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(context.resolve(path), "unix:gid", 65534, LinkOption.NOFOLLOW_LINKS);
    }

    assertThat(pack()).isEqualTo(before);
  }

  @Test
  void ignoresGroupAndOtherPermissionBits() throws IOException {
    Files.setPosixFilePermissions(
        context.resolve("Dockerfile"), PosixFilePermissions.fromString("rw-r--r--"));
    byte[] mode644 = pack();

    Files.setPosixFilePermissions(
        context.resolve("Dockerfile"), PosixFilePermissions.fromString("rw-rw-r--"));
    assertThat(pack()).isEqualTo(mode644);

    Files.setPosixFilePermissions(
        context.resolve("Dockerfile"), PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(pack()).isNotEqualTo(mode644);
  }

  @Test
  void writesFixedMetadataThatOtherTarReadersUnderstand() throws IOException {
    List<TarArchiveEntry> read = new ArrayList<>();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(pack()))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        read.add(entry);
      }
    }

    assertThat(read)
        .extracting(TarArchiveEntry::getName)
        .containsExactly(
            "Dockerfile",
            "dir-" + "d".repeat(120) + "/",
            LONG_NAME,
            "empty/",
            "link",
            "src/",
            "src/app.sh");
    assertThat(read)
        .allSatisfy(
            entry -> {
              assertThat(entry.getLastModifiedTime().toMillis()).isZero();
              assertThat(entry.getLongUserId()).isZero();
              assertThat(entry.getLongGroupId()).isZero();
              assertThat(entry.getUserName()).isEmpty();
              assertThat(entry.getGroupName()).isEmpty();
            });
    assertThat(read)
        .extracting(TarArchiveEntry::getMode)
        .containsExactly(0644, 0755, 0644, 0755, 0777, 0755, 0755);
    assertThat(read.get(4).getLinkName()).isEqualTo("src/" + "t".repeat(140));
    assertThat(read.get(2).getSize()).isEqualTo(4);
  }

  @Test
  void reportsTheDigestSizeAndCountOfWhatItWrote() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ContextEntry> entries = entries();

    PackResult result = packer.pack(context, entries, out);

    assertThat(result.tarDigest()).isEqualTo(Digest.sha256(out.toByteArray()));
    assertThat(result.sizeBytes()).isEqualTo(out.size());
    assertThat(result.entryCount()).isEqualTo(entries.size());
    assertThat(out.size() % 512).isZero();
  }

  @Test
  void failsClearlyWhenAFileChangesWhilePacking() throws IOException {
    List<ContextEntry> entries = entries();
    write("src/app.sh", "echo a longer script now\n");

    assertThatThrownBy(() -> packer.pack(context, entries, new ByteArrayOutputStream()))
        .isInstanceOf(KilnException.class)
        .hasMessageContaining("src/app.sh changed size while it was being packed")
        .hasMessageContaining("run the build again");
  }

  private List<ContextEntry> entries() {
    return new ContextWalker().walk(context, DockerIgnore.none(), "Dockerfile");
  }

  private byte[] pack() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    packer.pack(context, entries(), out);
    return out.toByteArray();
  }

  private void write(String path, String content) throws IOException {
    Path file = context.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
