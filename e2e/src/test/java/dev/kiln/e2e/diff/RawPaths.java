package dev.kiln.e2e.diff;

import dev.kiln.core.context.ContextNames;
import java.net.URI;
import java.nio.file.Path;

/**
 * Paths with bytes that are not UTF-8, built with the JDK alone so the fixtures do not depend on
 * the kiln code under test: a file URI takes percent-escaped bytes, and the file name of such a
 * path is a relative one-segment path holding them. Strings map to bytes as {@link ContextNames}
 * defines it.
 */
final class RawPaths {

  private RawPaths() {}

  /** {@code dir} joined with a '/'-separated relative path, segment by segment. */
  static Path below(Path dir, String path) {
    Path result = dir;
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        result = result.resolve(segment(segment));
      }
    }
    return result;
  }

  /** A symlink target as a Path: absolute targets from the root, relative ones as they are. */
  static Path target(String target) {
    if (target.startsWith("/")) {
      return below(Path.of("/"), target);
    }
    Path result = null;
    for (String segment : target.split("/")) {
      if (!segment.isEmpty()) {
        Path next = segment(segment);
        result = result == null ? next : result.resolve(next);
      }
    }
    return result;
  }

  private static Path segment(String segment) {
    if (!ContextNames.hasRawBytes(segment)) {
      return Path.of(segment);
    }
    StringBuilder uri = new StringBuilder("file:///");
    for (byte b : ContextNames.encode(segment)) {
      uri.append('%').append(String.format("%02X", b & 0xff));
    }
    return Path.of(URI.create(uri.toString())).getFileName();
  }
}
