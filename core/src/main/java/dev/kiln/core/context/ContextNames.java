package dev.kiln.core.context;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Context paths as Strings that keep every byte of a Unix name. A name is bytes, usually UTF-8;
 * valid UTF-8 decodes to its characters, and each byte that is not part of a valid UTF-8 sequence
 * becomes one unpaired low surrogate, U+DC80 to U+DCFF (the byte ORed into U+DC00). No valid UTF-8
 * decodes to an unpaired surrogate, so the mapping is one to one: {@link #encode} gives back
 * exactly the bytes {@link #decode} was given, which are what the hash, the archive and BuildKit
 * see.
 *
 * <p>A String from anywhere else (a command line, a JSON body) holds no unpaired surrogate, so for
 * every path of valid UTF-8 the String is its plain text and the bytes are its UTF-8 encoding.
 */
public final class ContextNames {

  private static final char ESCAPE_BASE = '\uDC00';

  private ContextNames() {}

  /** The path for a name's (or a '/'-separated path's) bytes. */
  public static String decode(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    // the JDK puts U+FFFD for what it cannot decode; a real U+FFFD takes the slow path too
    return text.indexOf('\uFFFD') < 0 ? text : decodeByByte(bytes);
  }

  /** The bytes a path stands for; the inverse of {@link #decode}. */
  public static byte[] encode(String path) {
    if (!hasSurrogate(path)) {
      return path.getBytes(StandardCharsets.UTF_8);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < path.length()
          && Character.isLowSurrogate(path.charAt(i + 1))) {
        out.writeBytes(path.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
        i++;
      } else if (isEscape(c)) {
        out.write(c & 0xff);
      } else if (Character.isSurrogate(c)) {
        throw notAPath(path);
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = out.toByteArray();
    if (!decodeByByte(bytes).equals(path)) {
      // escapes that spell valid UTF-8 (U+DCC3 U+DCA9 for "é") are not how any name decodes
      throw notAPath(path);
    }
    return bytes;
  }

  /** The length of {@link #encode}'s result. */
  public static int byteLength(String path) {
    if (!hasSurrogate(path)) {
      int bytes = 0;
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      return bytes;
    }
    return encode(path).length;
  }

  /** Whether the path holds bytes that are not UTF-8 (kept as escapes). */
  public static boolean hasRawBytes(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (isEscapeAt(path, i)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The text with each byte that is not UTF-8 shown as {@code \xff}, for messages and listings: an
   * unpaired surrogate would print as '?' and cannot be written as UTF-8.
   */
  public static String display(String text) {
    if (text == null || !hasRawBytes(text)) {
      return text;
    }
    StringBuilder shown = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isEscapeAt(text, i)) {
        shown.append("\\x").append(hex2(c));
      } else {
        shown.append(c);
      }
    }
    return shown.toString();
  }

  /**
   * A path as one unambiguous line, for listings: bytes that are not UTF-8 and ASCII control
   * characters as {@code \xNN}, C1 control characters by their code point, a backslash doubled.
   * Unlike {@link #display}, a name that spells {@code \xff} and a name holding the byte 0xff never
   * look alike, and no name can start a new line or send the terminal an escape sequence.
   */
  public static String quote(String path) {
    StringBuilder quoted = new StringBuilder(path.length() + 8);
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (isEscapeAt(path, i) || c < 0x20 || c == 0x7f) {
        // a byte below 0x80 is always ASCII, never an escape, so the two cannot be confused
        quoted.append("\\x").append(hex2(c));
      } else if ((c >= 0x80 && c <= 0x9f) || invisible(c)) {
        // C1 controls, line and paragraph separators, bidi and other format characters
        quoted.append(String.format("\\u%04x", (int) c));
      } else if (c == '\\') {
        quoted.append("\\\\");
      } else {
        quoted.append(c);
      }
    }
    return quoted.toString();
  }

  /**
   * Orders paths by their bytes. Code point order is byte order for valid UTF-8, so only the first
   * difference that involves an escape needs the bytes.
   */
  public static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        if (isSurrogateCodePoint(ca) || isSurrogateCodePoint(cb)) {
          return Arrays.compareUnsigned(encode(a.substring(i)), encode(b.substring(j)));
        }
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  /**
   * The path as Go's matchers read it: each byte that is not UTF-8 as U+FFFD, one character per
   * byte. BuildKit matches {@code .dockerignore} patterns so, and patterns themselves reach it with
   * each such byte turned into U+FFFD.
   */
  static String asGoSeesIt(String path) {
    if (!hasRawBytes(path)) {
      return path;
    }
    StringBuilder seen = new StringBuilder(path);
    for (int i = 0; i < seen.length(); i++) {
      if (isEscapeAt(path, i)) {
        seen.setCharAt(i, '\uFFFD');
      }
    }
    return seen.toString();
  }

  static boolean hasSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (Character.isSurrogate(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean invisible(char c) {
    int type = Character.getType(c);
    return type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }

  private static String hex2(char c) {
    return "" + Character.forDigit((c >> 4) & 0xf, 16) + Character.forDigit(c & 0xf, 16);
  }

  private static boolean isSurrogateCodePoint(int codePoint) {
    return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
  }

  /**
   * Whether the char at {@code i} stands for a byte: an escape not paired with a high surrogate.
   */
  private static boolean isEscapeAt(String text, int i) {
    return isEscape(text.charAt(i)) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
  }

  /** The same for a code point: one outside the BMP is never an escape, whatever its low bits. */
  static boolean isEscapeCodePoint(int codePoint) {
    return codePoint >= 0xDC80 && codePoint <= 0xDCFF;
  }

  static boolean isEscape(char c) {
    return c >= '\uDC80' && c <= '\uDCFF';
  }

  /** UTF-8 decoding that turns each byte outside a valid sequence into an escape. */
  private static String decodeByByte(byte[] bytes) {
    StringBuilder text = new StringBuilder(bytes.length);
    int i = 0;
    while (i < bytes.length) {
      int length = validSequenceLength(bytes, i);
      if (length == 0) {
        text.append((char) (ESCAPE_BASE | (bytes[i] & 0xff)));
        i++;
      } else {
        text.append(new String(bytes, i, length, StandardCharsets.UTF_8));
        i += length;
      }
    }
    return text.toString();
  }

  /**
   * The length of the well-formed UTF-8 sequence at {@code at} (Unicode's table 3-7: shortest form,
   * no surrogates, nothing above U+10FFFF), or 0 when the byte there starts none.
   */
  private static int validSequenceLength(byte[] bytes, int at) {
    int lead = bytes[at] & 0xff;
    if (lead < 0x80) {
      return 1;
    }
    int length;
    int low = 0x80;
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      low = lead == 0xE0 ? 0xA0 : 0x80;
      high = lead == 0xED ? 0x9F : 0xBF;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      low = lead == 0xF0 ? 0x90 : 0x80;
      high = lead == 0xF4 ? 0x8F : 0xBF;
    } else {
      return 0;
    }
    if (at + length > bytes.length) {
      return 0;
    }
    int second = bytes[at + 1] & 0xff;
    if (second < low || second > high) {
      return 0;
    }
    for (int k = 2; k < length; k++) {
      int next = bytes[at + k] & 0xff;
      if (next < 0x80 || next > 0xBF) {
        return 0;
      }
    }
    return length;
  }

  private static IllegalArgumentException notAPath(String path) {
    return new IllegalArgumentException(
        "'" + display(path) + "' holds an unpaired surrogate that no file name decodes to");
  }
}
