package dev.kiln.core.hash.cache;

import dev.kiln.core.context.ContextNames;
import java.util.Arrays;

/** Compares a String with UTF-8 bytes in byte order, without encoding the usual ASCII path. */
final class Utf8Order {

  private Utf8Order() {}

  /**
   * Negative, zero or positive as {@code text}'s UTF-8 bytes sort before, with or after the bytes.
   */
  static int compare(String text, byte[] bytes, int offset, int length) {
    int n = text.length();
    int i = 0;
    while (i < n && i < length) {
      char c = text.charAt(i);
      int b = bytes[offset + i] & 0xff;
      if (c >= 0x80 || b >= 0x80) {
        // ASCII so far maps byte for byte; encode the rest only now
        byte[] rest = ContextNames.encode(text.substring(i));
        return Arrays.compareUnsigned(rest, 0, rest.length, bytes, offset + i, offset + length);
      }
      if (c != b) {
        return c - b;
      }
      i++;
    }
    return Integer.compare(n - i, length - i);
  }
}
