package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TarWriterTest {

  @TempDir Path context;

  /**
   * BuildKit takes a downloaded context for a tar only if one header parses from its first 1024
   * bytes; a pax header with its records fills them, so such a first entry is preceded by "./".
   */
  @ParameterizedTest
  @ValueSource(strings = {"0-long", "0-ünïcode", "0-link"})
  void theFirstHeaderIsPlainUstarWhateverTheFirstEntryNeeds(String kind) throws IOException {
    String first = kind.equals("0-long") ? kind + "g".repeat(150) : kind;
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    if (first.endsWith("link")) {
      Files.createSymbolicLink(context.resolve(first), Path.of("t".repeat(150)));
    } else {
      Files.writeString(context.resolve(first), "first");
    }
    byte[] tar = pack();

    TarArchiveEntry head = firstEntryOf(Arrays.copyOf(tar, 1024));
    assertThat(head.getName()).isEqualTo("./");
    assertThat(head.isDirectory()).isTrue();
    assertThat(ContextArchive.validate(new ByteArrayInputStream(tar), ContextLimits.DEFAULT))
        .extracting(ContextEntry::path)
        .containsExactly(first, "Dockerfile");
  }

  @Test
  void aShortFirstEntryNeedsNoRootEntry() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(context.resolve("z-" + "long".repeat(40)), "later entries may need pax");

    assertThat(firstEntryOf(Arrays.copyOf(pack(), 1024)).getName()).isEqualTo("Dockerfile");
  }

  @Test
  void noHeaderCarriesATimeAnOwnerOrAUserNameExtendedHeadersIncluded() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    Files.writeString(context.resolve("ünïcode-" + "x".repeat(120)), "x");
    Files.createSymbolicLink(context.resolve("link"), Path.of("é".repeat(80)));
    byte[] tar = pack();

    List<TarArchiveEntry> headers = rawHeaders(tar);

    assertThat(headers).extracting(TarArchiveEntry::isPaxHeader).contains(true);
    assertThat(headers)
        .allSatisfy(
            header -> {
              assertThat(header.getLastModifiedTime().toMillis()).isZero();
              assertThat(header.getLongUserId()).isZero();
              assertThat(header.getLongGroupId()).isZero();
              assertThat(header.getUserName()).isEmpty();
              assertThat(header.getGroupName()).isEmpty();
            });
  }

  @Test
  void writesSizesBeyondElevenOctalDigitsIntoAPaxHeader() throws IOException {
    long size = 9L << 30;
    FirstBytes out = new FirstBytes(4 * 512);
    TarWriter writer = new TarWriter(out);

    assertThatThrownBy(() -> writer.file("big", false, size, zeros())).isSameAs(FirstBytes.ENOUGH);

    String head = new String(out.bytes(), StandardCharsets.ISO_8859_1);
    assertThat(head).startsWith("./").contains("size=" + size + "\n");
  }

  @Test
  void endsWithTwoZeroBlocksAndNoRecordPadding() throws IOException {
    Files.writeString(context.resolve("Dockerfile"), "FROM scratch\n");
    byte[] tar = pack();

    assertThat(tar).hasSize(512 + 512 + 1024);
    assertThat(Arrays.copyOfRange(tar, 1024, 2048)).containsOnly(0);
  }

  private byte[] pack() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<ContextEntry> entries =
        new ContextWalker().walk(context, DockerIgnore.none(), "Dockerfile");
    new ContextPacker().pack(context, entries, out);
    return out.toByteArray();
  }

  /** What Go's tar.Reader.Next() needs: one complete, non-extended header. */
  private static TarArchiveEntry firstEntryOf(byte[] head) throws IOException {
    assertThat(TarUtils.verifyCheckSum(Arrays.copyOf(head, 512))).isTrue();
    assertThat((char) head[156]).isNotIn('x', 'g', 'L', 'K');
    try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(head))) {
      return in.getNextEntry();
    }
  }

  /** Every header block as written, extended headers included, without applying them. */
  private static List<TarArchiveEntry> rawHeaders(byte[] tar) throws IOException {
    List<TarArchiveEntry> headers = new ArrayList<>();
    int at = 0;
    while (at + 512 <= tar.length && tar[at] != 0) {
      TarArchiveEntry header = new TarArchiveEntry(Arrays.copyOfRange(tar, at, at + 512));
      headers.add(header);
      long data = header.isDirectory() || header.isSymbolicLink() ? 0 : header.getSize();
      at += 512 + (int) ((data + 511) / 512 * 512);
    }
    return headers;
  }

  private static InputStream zeros() {
    return new InputStream() {
      @Override
      public int read() {
        return 0;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        Arrays.fill(b, off, off + len, (byte) 0);
        return len;
      }
    };
  }

  /** Keeps the first bytes written, then stops the writer: headers come before any data. */
  private static final class FirstBytes extends OutputStream {
    static final IOException ENOUGH = new IOException("enough");
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;

    FirstBytes(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      kept.write(b, off, Math.min(len, limit - kept.size()));
      if (kept.size() >= limit) {
        throw ENOUGH;
      }
    }

    byte[] bytes() {
      return kept.toByteArray();
    }
  }
}
