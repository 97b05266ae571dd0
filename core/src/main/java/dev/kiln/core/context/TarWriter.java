package dev.kiln.core.context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX (pax) tar with fixed metadata: mtime 0, uid/gid 0, no user or group names. Names
 * and link targets that do not fit ustar's ASCII fields, and sizes of 8 GiB or more, go into a pax
 * extended header before the entry, as Go's archive/tar (BuildKit's reader) expects.
 *
 * @see <a href="https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html">pax
 *     interchange format</a>
 */
final class TarWriter {

  static final int BLOCK = 512;
  private static final long MAX_OCTAL_SIZE = 077777777777L;
  private static final int MODE_FILE = 0644;
  private static final int MODE_EXECUTABLE = 0755;
  private static final int MODE_SYMLINK = 0777;

  private final OutputStream out;
  private final byte[] buffer = new byte[64 * 1024];

  TarWriter(OutputStream out) {
    this.out = out;
  }

  void directory(String path) throws IOException {
    header(path + "/", '5', MODE_EXECUTABLE, 0, "");
  }

  void symlink(String path, String target) throws IOException {
    header(path, '2', MODE_SYMLINK, 0, target);
  }

  /**
   * Writes a file of exactly {@code sizeBytes} bytes from {@code content}.
   *
   * @throws FileChangedException when the content is shorter or longer than announced
   */
  void file(String path, boolean executable, long sizeBytes, InputStream content)
      throws IOException {
    header(path, '0', executable ? MODE_EXECUTABLE : MODE_FILE, sizeBytes, "");
    long remaining = sizeBytes;
    while (remaining > 0) {
      int n = content.read(buffer, 0, (int) Math.min(buffer.length, remaining));
      if (n < 0) {
        throw new FileChangedException(path);
      }
      out.write(buffer, 0, n);
      remaining -= n;
    }
    if (content.read() >= 0) {
      throw new FileChangedException(path);
    }
    pad(sizeBytes);
  }

  /** Writes the end-of-archive marker, two zero blocks. */
  void finish() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }

  private void header(String name, char type, int mode, long size, String linkName)
      throws IOException {
    StringBuilder pax = new StringBuilder();
    if (!fitsUstar(name)) {
      paxRecord(pax, "path", name);
    }
    if (!fitsUstar(linkName)) {
      paxRecord(pax, "linkpath", linkName);
    }
    if (size > MAX_OCTAL_SIZE) {
      paxRecord(pax, "size", Long.toString(size));
    }
    if (!pax.isEmpty()) {
      byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
      out.write(block(paxHeaderName(name), 'x', MODE_FILE, records.length, ""));
      out.write(records);
      pad(records.length);
    }
    out.write(block(name, type, mode, size > MAX_OCTAL_SIZE ? 0 : size, linkName));
  }

  private static byte[] block(String name, char type, int mode, long size, String linkName) {
    byte[] b = new byte[BLOCK];
    putString(b, 0, 100, asciiFallback(name));
    putOctal(b, 100, 8, mode);
    putOctal(b, 108, 8, 0);
    putOctal(b, 116, 8, 0);
    putOctal(b, 124, 12, size);
    putOctal(b, 136, 12, 0);
    b[156] = (byte) type;
    putString(b, 157, 100, asciiFallback(linkName));
    putString(b, 257, 6, "ustar\0");
    putString(b, 263, 2, "00");
    putOctal(b, 329, 8, 0);
    putOctal(b, 337, 8, 0);
    Arrays.fill(b, 148, 156, (byte) ' ');
    long sum = 0;
    for (byte x : b) {
      sum += x & 0xff;
    }
    putString(b, 148, 8, String.format("%06o", sum) + "\0 ");
    return b;
  }

  private static boolean fitsUstar(String s) {
    return s.length() <= 100 && s.chars().allMatch(c -> c > 0 && c < 0x80);
  }

  /** What the ustar fields hold when the pax header carries the real value. */
  private static String asciiFallback(String s) {
    StringBuilder ascii = new StringBuilder();
    for (int i = 0; i < s.length() && ascii.length() < 100; i++) {
      char c = s.charAt(i);
      ascii.append(c > 0 && c < 0x80 ? c : '_');
    }
    return ascii.toString();
  }

  private static String paxHeaderName(String name) {
    String trimmed = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    String base = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return asciiFallback("PaxHeaders/" + base);
  }

  /** Appends "{length} {key}={value}\n", where length counts the whole record, itself included. */
  private static void paxRecord(StringBuilder pax, String key, String value) {
    int body =
        key.getBytes(StandardCharsets.UTF_8).length
            + value.getBytes(StandardCharsets.UTF_8).length
            + 3;
    int length = body + Integer.toString(body).length();
    if (Integer.toString(length).length() != Integer.toString(body).length()) {
      length++;
    }
    pax.append(length).append(' ').append(key).append('=').append(value).append('\n');
  }

  private static void putString(byte[] b, int offset, int length, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, b, offset, Math.min(bytes.length, length));
  }

  private static void putOctal(byte[] b, int offset, int length, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(length - 1 - digits.length()) + digits;
    putString(b, offset, length - 1, padded);
    b[offset + length - 1] = 0;
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }

  /** The file's length changed between listing and packing. */
  static final class FileChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    FileChangedException(String path) {
      super(path + " changed size while it was being packed");
    }
  }
}
