package dev.kiln.worker.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small uncompressed ustar archives of regular files for build contexts in tests. */
public final class TestTar {
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Boolean> executable = new LinkedHashMap<>();

  public TestTar file(String path, String content) {
    return file(path, content.getBytes(StandardCharsets.UTF_8), false);
  }

  public TestTar file(String path, byte[] content, boolean exec) {
    files.put(path, content);
    executable.put(path, exec);
    return this;
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    files.forEach(
        (path, content) -> {
          out.writeBytes(header(path, content.length, executable.get(path) ? 0755 : 0644));
          out.writeBytes(content);
          out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        });
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  private static byte[] header(String path, long size, int mode) {
    byte[] h = new byte[512];
    put(h, 0, path.getBytes(StandardCharsets.UTF_8), 100);
    octal(h, 100, mode, 8);
    octal(h, 108, 0, 8);
    octal(h, 116, 0, 8);
    octal(h, 124, size, 12);
    octal(h, 136, 0, 12);
    h[156] = '0';
    put(h, 257, "ustar".getBytes(StandardCharsets.US_ASCII), 6);
    h[263] = '0';
    h[264] = '0';
    // the checksum is computed with its own field read as spaces
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, sum, 7);
    return h;
  }

  private static void octal(byte[] h, int offset, long value, int width) {
    String s = String.format("%0" + (width - 1) + "o", value);
    put(h, offset, s.getBytes(StandardCharsets.US_ASCII), width);
  }

  private static void put(byte[] h, int offset, byte[] value, int max) {
    if (value.length > max) {
      throw new IllegalArgumentException("tar header field too long: " + new String(value));
    }
    System.arraycopy(value, 0, h, offset, value.length);
  }
}
