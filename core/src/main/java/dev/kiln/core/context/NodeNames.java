package dev.kiln.core.context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * File names between the file system and {@link ContextNames}. On Unix a name is bytes; the JDK
 * decodes it with {@code sun.jnu.encoding} (taken from the locale) and puts U+FFFD (UTF-8) or '?'
 * (other encodings) for bytes it cannot decode, so the String no longer says which bytes they were.
 * The {@code Path} from a directory listing still holds them, and a file URI is the one public JDK
 * API that shows them (percent-escaped) and takes them back, so names the String may have lost go
 * through URIs. Names of plain ASCII, and of valid UTF-8 under a UTF-8 locale, never do.
 */
public final class NodeNames {

  private static final boolean UTF8_NAMES =
      "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));

  private NodeNames() {}

  /** The name of a node a directory listing returned, every byte kept. */
  static String name(Path child) {
    String name = child.getFileName().toString();
    if (!mayHaveLostBytes(name)) {
      return name;
    }
    String uri = child.toAbsolutePath().toUri().getRawPath();
    if (uri.endsWith("/")) {
      uri = uri.substring(0, uri.length() - 1); // the JDK marks directories so
    }
    return ContextNames.decode(unescape(uri.substring(uri.lastIndexOf('/') + 1)));
  }

  /** The target text of a symlink, every byte kept; never followed. */
  static String linkTarget(Path link) throws IOException {
    Path target = Files.readSymbolicLink(link);
    String text = target.toString();
    if (!mayHaveLostBytes(text)) {
      return text;
    }
    String uri = target.toUri().getRawPath();
    if (!target.isAbsolute()) {
      // a relative target's URI starts with the working directory
      uri = uri.substring(Path.of("").toAbsolutePath().toUri().getRawPath().length());
    }
    if (uri.endsWith("/") && !text.endsWith("/")) {
      uri = uri.substring(0, uri.length() - 1); // added because the target is a directory here
    }
    return ContextNames.decode(unescape(uri));
  }

  /**
   * The file at a context path below {@code dir}, with the path's bytes as {@link
   * ContextNames#encode} gives them.
   */
  public static Path resolve(Path dir, String path) {
    if (!needsUri(path) || !"file".equals(dir.getFileSystem().provider().getScheme())) {
      return dir.resolve(path);
    }
    String base = dir.toAbsolutePath().toUri().getRawPath();
    StringBuilder uri = new StringBuilder("file://").append(base);
    if (!base.endsWith("/")) {
      uri.append('/');
    }
    for (byte b : ContextNames.encode(path)) {
      int c = b & 0xff;
      if (c == '/' || unreserved(c)) {
        uri.append((char) c);
      } else {
        uri.append('%')
            .append(Character.forDigit(c >> 4, 16))
            .append(Character.forDigit(c & 15, 16));
      }
    }
    return Path.of(URI.create(uri.toString()));
  }

  /**
   * Whether the JDK's String for a name may differ from its bytes: it holds a replacement
   * character, or the locale's encoding is not UTF-8 and the name is not plain ASCII.
   */
  static boolean mayHaveLostBytes(String decoded) {
    if (UTF8_NAMES) {
      return decoded.indexOf('\uFFFD') >= 0;
    }
    return decoded.indexOf('?') >= 0 || !isAscii(decoded);
  }

  /** Whether the JDK would encode a path to other bytes than {@link ContextNames#encode}. */
  private static boolean needsUri(String path) {
    return UTF8_NAMES ? ContextNames.hasRawBytes(path) : !isAscii(path);
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static byte[] unescape(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%' && i + 2 < raw.length()) {
        bytes.write(Integer.parseInt(raw, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toByteArray();
  }
}
