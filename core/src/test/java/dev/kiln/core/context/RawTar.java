package dev.kiln.core.context;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Writes tar headers exactly as told, including the malformed ones an attacker would send. */
final class RawTar {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  RawTar file(String name, String content) {
    return entry(name, '0', 0644, content.getBytes(StandardCharsets.UTF_8), "");
  }

  RawTar directory(String name) {
    return entry(name, '5', 0755, new byte[0], "");
  }

  RawTar symlink(String name, String target) {
    return entry(name, '2', 0777, new byte[0], target);
  }

  RawTar hardLink(String name, String target) {
    return entry(name, '1', 0644, new byte[0], target);
  }

  /** A pax extended header whose records apply to the next entry. */
  RawTar pax(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    // the record length counts bytes, not chars
    int bodyBytes = ContextNames.encode(body).length;
    int length = bodyBytes + 1;
    while (Integer.toString(length).length() + bodyBytes != length) {
      length++;
    }
    return entry("PaxHeaders/x", 'x', 0644, ContextNames.encode(length + body), "");
  }

  RawTar gnuLongName(String name) {
    return entry("././@LongLink", 'L', 0644, ContextNames.encode(name + "\0"), "");
  }

  RawTar entry(String name, char type, int mode, byte[] data, String link) {
    return header(name, type, mode, data.length, link).data(data);
  }

  RawTar header(String name, char type, int mode, long size, String link) {
    byte[] b = new byte[512];
    put(b, 0, name);
    put(b, 100, String.format("%07o", mode));
    put(b, 108, "0000000");
    put(b, 116, "0000000");
    put(b, 124, String.format("%011o", size));
    put(b, 136, "00000000000");
    b[156] = (byte) type;
    put(b, 157, link);
    put(b, 257, "ustar");
    put(b, 263, "00");
    Arrays.fill(b, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte x : b) {
      sum += x & 0xff;
    }
    put(b, 148, String.format("%06o", sum));
    b[154] = 0;
    out.writeBytes(b);
    return this;
  }

  RawTar data(byte[] data) {
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return this;
  }

  RawTar end() {
    out.writeBytes(new byte[1024]);
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  /** Names go in as the bytes {@link ContextNames} gives them, so tests can write any bytes. */
  private static void put(byte[] b, int offset, String s) {
    byte[] bytes = ContextNames.encode(s);
    System.arraycopy(bytes, 0, b, offset, bytes.length);
  }
}
