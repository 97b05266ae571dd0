package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * File names the JVM could not decode. On Unix a name is bytes; the JDK decodes it with {@code
 * sun.jnu.encoding} (taken from the locale, not settable on the command line) and puts U+FFFD for
 * bytes it cannot decode, so the String no longer says which bytes they were. core/README.md says
 * why kiln refuses such names rather than hashing them.
 */
final class NodeNames {

  private NodeNames() {}

  /** U+FFFD stands in for bytes the JVM could not decode; a real U+FFFD survives re-encoding. */
  static boolean decodesCleanly(Path child, String name) {
    if (name.indexOf('\uFFFD') < 0) {
      return true;
    }
    try {
      return child.getFileName().equals(child.getFileSystem().getPath(name));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  static InvalidInputException undecodable(String dirPath, String name, Path child) {
    return new InvalidInputException(
        "the build context holds a file name that is not valid UTF-8 in '"
            + (dirPath.isEmpty() ? "." : dirPath)
            + "' (read as '"
            + name
            + "', bytes "
            + rawBytes(child)
            + "); kiln hashes and packs names as UTF-8, so rename it or add it to .dockerignore;"
            + " if the name is valid UTF-8, run kiln with a UTF-8 locale (such as LANG=C.UTF-8):"
            + " the JVM decodes file names as "
            + System.getProperty("sun.jnu.encoding"),
        dirPath.isEmpty() ? "." : dirPath);
  }

  /**
   * The name's bytes, percent-escaped where not plain ASCII. A file URI is the one public JDK API
   * that keeps a Unix path's raw bytes (it escapes them instead of decoding them).
   */
  static String rawBytes(Path child) {
    try {
      String uri = child.toAbsolutePath().toUri().getRawPath();
      if (uri.endsWith("/")) {
        uri = uri.substring(0, uri.length() - 1);
      }
      return uri.substring(uri.lastIndexOf('/') + 1);
    } catch (RuntimeException e) {
      return "(unknown)";
    }
  }
}
