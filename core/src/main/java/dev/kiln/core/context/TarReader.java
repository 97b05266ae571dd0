package dev.kiln.core.context;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads ustar, pax and GNU tar headers the way Go's archive/tar (what BuildKit unpacks contexts
 * with) reads them, so kiln validates the same entries BuildKit will extract: pax {@code path},
 * {@code linkpath} and {@code size} records apply to the next entry, GNU long names override pax
 * paths, headers of links and directories carry no data whatever their size field says. Unlike Go
 * it insists on an end-of-archive marker, so a stream cut at a block boundary is not taken for a
 * shorter archive.
 */
final class TarReader {

  /** One real entry; meta entries (pax, GNU long names) are folded into it. */
  record Header(String name, char type, long mode, long size, String linkName) {}

  private static final int BLOCK = TarWriter.BLOCK;
  private static final int MAX_META_BYTES = 1 << 20;

  private final InputStream in;
  private final byte[] block = new byte[BLOCK];
  private long position;
  private long remaining;
  private long padding;
  private String current = "(start)";

  TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null after the end-of-archive marker. */
  Header next() throws IOException {
    Map<String, String> pax = new HashMap<>();
    String longName = null;
    String longLink = null;
    boolean meta = false;
    while (true) {
      skip(remaining + padding);
      remaining = 0;
      padding = 0;
      long headerAt = position;
      if (!readHeaderBlock()) {
        if (meta) {
          throw new TarFormatException(
              "it ends right after an extended header at byte " + headerAt + " of " + current);
        }
        return null;
      }
      if (!checksumMatches()) {
        throw new TarFormatException(
            "the header at byte " + headerAt + " has a wrong checksum (after " + current + ")");
      }
      boolean posix = field(257, 6).equals("ustar") && field(263, 2).equals("00");
      boolean gnu = field(257, 8).equals("ustar  ");
      if (!posix && !gnu) {
        throw new TarFormatException(
            "the header at byte " + headerAt + " is not a ustar, pax or GNU tar header");
      }
      char type = (char) (block[156] & 0xff);
      String name = field(0, 100);
      if (posix && block[345] != 0) {
        name = field(345, 155) + "/" + name;
      }
      String linkName = field(157, 100);
      long mode = number(100, 8, headerAt);
      long size = number(124, 12, headerAt);
      current = name;
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        byte[] data = readMeta(size, name);
        meta = true;
        switch (type) {
          case 'x' -> pax = PaxRecords.parse(data, name);
          case 'L' -> longName = cString(data);
          case 'K' -> longLink = cString(data);
          default -> meta = !pax.isEmpty() || longName != null || longLink != null;
        }
        continue;
      }
      if (pax.keySet().stream().anyMatch(k -> k.startsWith("GNU.sparse."))) {
        throw new TarFormatException(name + " is a sparse file, which kiln does not accept");
      }
      name = nonEmpty(pax.get("path"), name);
      linkName = nonEmpty(pax.get("linkpath"), linkName);
      if (pax.containsKey("size") && !pax.get("size").isEmpty()) {
        size = PaxRecords.parseSize(pax.get("size"), name);
      }
      name = longName != null ? longName : name;
      linkName = longLink != null ? longLink : linkName;
      if (type == '\0') {
        type = name.endsWith("/") ? '5' : '0';
      }
      if (type >= '1' && type <= '6') {
        size = 0; // header-only types: Go reads no data for them
      }
      if (size < 0) {
        throw new TarFormatException(name + " has a negative size");
      }
      current = name;
      remaining = size;
      padding = (BLOCK - size % BLOCK) % BLOCK;
      return new Header(name, type, mode, size, linkName);
    }
  }

  /** The bytes of the entry {@link #next()} returned; closing it does nothing. */
  InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw truncated();
        }
        position += n;
        remaining -= n;
        return n;
      }
    };
  }

  /** Reads a header block; false at the end-of-archive marker. */
  private boolean readHeaderBlock() throws IOException {
    readFully(block);
    if (!isZero(block)) {
      return true;
    }
    // one zero block then the end of the stream is how Go ends too; more zeros are padding
    int n = in.readNBytes(block, 0, BLOCK);
    position += n;
    if (n == BLOCK && !isZero(block)) {
      throw new TarFormatException(
          "a header follows the end-of-archive marker at byte " + position);
    }
    if (n > 0 && n < BLOCK) {
      throw new TarFormatException(
          "it is truncated: the stream ended at byte "
              + position
              + " inside the end-of-archive"
              + " marker");
    }
    return false;
  }

  private byte[] readMeta(long size, String name) throws IOException {
    if (size > MAX_META_BYTES) {
      throw new TarFormatException("the extended header " + name + " is larger than 1 MiB");
    }
    byte[] data = new byte[(int) size];
    readFully(data);
    skip((BLOCK - size % BLOCK) % BLOCK);
    return data;
  }

  private void readFully(byte[] buffer) throws IOException {
    int n = in.readNBytes(buffer, 0, buffer.length);
    position += n;
    if (n < buffer.length) {
      throw truncated();
    }
  }

  private void skip(long count) throws IOException {
    long left = count;
    byte[] scratch = new byte[8192];
    while (left > 0) {
      int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
      if (n < 0) {
        throw truncated();
      }
      position += n;
      left -= n;
    }
  }

  private TarFormatException truncated() {
    return new TarFormatException(
        "it is truncated: the stream ended at byte "
            + position
            + " inside or after "
            + current
            + " without the end-of-archive marker");
  }

  private boolean checksumMatches() {
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : block[i];
      unsigned += b & 0xff;
      signed += (byte) b;
    }
    String text = field(148, 8).trim();
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '7')) {
      return false;
    }
    long stored = Long.parseLong(text, 8);
    return stored == unsigned || stored == signed;
  }

  /** A numeric field: octal text, or GNU base-256 when the high bit of the first byte is set. */
  private long number(int offset, int length, long headerAt) throws TarFormatException {
    if ((block[offset] & 0x80) != 0) {
      long value = block[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        if ((value >>> 55) != 0) {
          throw new TarFormatException("a number in the header at byte " + headerAt + " overflows");
        }
        value = (value << 8) | (block[offset + i] & 0xff);
      }
      return (block[offset] & 0x40) != 0 ? -1 : value;
    }
    String text = field(offset, length).replace(" ", "");
    if (text.isEmpty()) {
      return 0;
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '7') || text.length() > 21) {
      throw new TarFormatException(
          "the header at byte " + headerAt + " has the invalid number '" + text + "'");
    }
    return Long.parseLong(text, 8);
  }

  /** A NUL-terminated field, as UTF-8. */
  private String field(int offset, int length) {
    int end = offset;
    while (end < offset + length && block[end] != 0) {
      end++;
    }
    return new String(block, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String cString(byte[] data) {
    int end = 0;
    while (end < data.length && data[end] != 0) {
      end++;
    }
    return new String(data, 0, end, StandardCharsets.UTF_8);
  }

  private static String nonEmpty(String preferred, String fallback) {
    return preferred == null || preferred.isEmpty() ? fallback : preferred;
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  /** The stream is not a well-formed tar; the message says where. */
  static final class TarFormatException extends EOFException {
    private static final long serialVersionUID = 1L;

    TarFormatException(String message) {
      super(message);
    }
  }
}
