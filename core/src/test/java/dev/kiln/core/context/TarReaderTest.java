package dev.kiln.core.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Header shapes on which commons-compress (kiln's reader) and Go's archive/tar (BuildKit's) would
 * see different entries, and the checks commons-compress leaves to kiln. Each is refused, so what
 * kiln validates and hashes is always what BuildKit unpacks.
 */
class TarReaderTest {

  static Stream<Arguments> ambiguousArchives() {
    return Stream.of(
        Arguments.of(
            "file named like a directory, hiding a header in its data",
            new RawTar()
                .entry("x/", '0', 0644, new RawTar().symlink("l", "/etc").bytes(), "")
                .file("l/passwd", "root::0:0"),
            "is no directory but its name ends with '/'"),
        Arguments.of(
            "pax path ending in a slash on a file",
            new RawTar().pax("path", "x/").file("x", "data"),
            "'x/' is no directory"),
        Arguments.of(
            "two pax headers for one entry",
            new RawTar().pax("path", "innocent").pax("path", "../evil").file("x", "x"),
            "is the second one"),
        Arguments.of(
            "pax and GNU long names for one entry",
            new RawTar().pax("path", "innocent").gnuLongName("../evil").file("x", "x"),
            "mixes pax and GNU headers"),
        Arguments.of(
            "pax global header",
            new RawTar()
                .entry("pax_global_header", 'g', 0644, records("path", "../evil"), "")
                .file("x", "x"),
            "global or Solaris extended header"),
        Arguments.of(
            "Solaris extended header",
            new RawTar().entry("PaxHeaders/x", 'X', 0644, records("path", "a"), "").file("x", "x"),
            "global or Solaris extended header"),
        Arguments.of(
            "absolute pax path (commons-compress would drop the slash)",
            new RawTar().pax("path", "/etc/cron.d/x").file("x", "x"),
            "'/etc/cron.d/x' is an absolute path"),
        Arguments.of(
            "NUL inside a pax path",
            new RawTar().pax("path", "a\0b").file("x", "x"),
            "holds a NUL byte"),
        Arguments.of(
            "oversized extended header",
            new RawTar().entry("L", 'L', 0644, new byte[(1 << 20) + 1], "").file("x", "x"),
            "larger than 1 MiB"),
        Arguments.of(
            "path over 4096 bytes",
            new RawTar().pax("path", "d/".repeat(2048) + "f").file("x", "x"),
            "has a path longer than 4096 bytes"),
        Arguments.of(
            "symlink target over 4096 bytes",
            new RawTar().pax("linkpath", "t/".repeat(2049)).symlink("l", "t"),
            "'l' is a symlink whose target is longer than 4096 bytes"),
        Arguments.of(
            "write through a symlink loop",
            new RawTar().symlink("a", "b").symlink("b", "a").file("a/x", "x"),
            "'a/x' lies below a, which is a symlink"),
        Arguments.of(
            "dot-dot below a directory",
            new RawTar().directory("src/").file("src/../../x", "x"),
            "'src/../../x' climbs out of the context through '..'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ambiguousArchives")
  void refusesArchivesReadersWouldDisagreeAbout(String name, RawTar tar, String message) {
    byte[] bytes = tar.end().bytes();

    assertThatThrownBy(() -> validate(bytes))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining(message);
  }

  @Test
  void checksTheChecksumOfExtendedHeadersToo() {
    byte[] tar = new RawTar().pax("path", "a").file("x", "x").end().bytes();
    tar[20] ^= 1; // inside the pax header's name field, which commons-compress does not check

    assertThatThrownBy(() -> validate(tar))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("the header at byte 0 has a wrong checksum");
  }

  @Test
  void refusesAHeaderAfterTheEndOfArchiveMarker() {
    byte[] first = new RawTar().file("a", "x").bytes();
    byte[] tar = concat(first, new byte[512], new RawTar().file("b", "y").end().bytes());

    assertThatThrownBy(() -> validate(tar))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("a header follows the end-of-archive marker at byte 1536");
  }

  @Test
  void acceptsOneZeroBlockAtTheEndAsGoDoes() {
    byte[] tar = concat(new RawTar().file("a", "x").bytes(), new byte[512]);

    assertThat(validate(tar)).containsExactly(ContextEntry.file("a", false, 1));
  }

  @Test
  void refusesAnArchiveThatEndsAfterAnExtendedHeader() {
    byte[] tar = new RawTar().pax("path", "a").end().bytes();

    assertThatThrownBy(() -> validate(tar))
        .isInstanceOf(InvalidContextException.class)
        .hasMessageContaining("ends right after an extended header");
  }

  @Test
  void reportsAFailingStreamAsAnIoErrorNotAsABadArchive() {
    InputStream failing =
        new SequenceInputStream(
            new ByteArrayInputStream(new RawTar().file("a", "x".repeat(2000)).bytes(), 0, 1024),
            new InputStream() {
              @Override
              public int read() throws IOException {
                throw new IOException("connection reset");
              }
            });

    assertThatThrownBy(() -> ContextArchive.validate(failing, ContextLimits.DEFAULT))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("the stream failed: connection reset");
  }

  private static byte[] records(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int length = body.length() + 1;
    while (Integer.toString(length).length() + body.length() != length) {
      length++;
    }
    return (length + body).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    byte[] all = new byte[0];
    for (byte[] part : parts) {
      int at = all.length;
      all = Arrays.copyOf(all, at + part.length);
      System.arraycopy(part, 0, all, at, part.length);
    }
    return all;
  }

  private static List<ContextEntry> validate(byte[] tar) {
    return ContextArchive.validate(new ByteArrayInputStream(tar), ContextLimits.DEFAULT);
  }
}
