package dev.kiln.core.context;

import java.util.ArrayDeque;
import java.util.Deque;

/** Go's strings.TrimSpace and path.Clean, where kiln must agree with BuildKit to the byte. */
final class GoStrings {

  private GoStrings() {}

  /** Trims what Go's unicode.IsSpace calls space, which differs from Java's strip() at U+00A0. */
  static String trimSpace(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isGoSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isGoSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  private static boolean isGoSpace(int cp) {
    if (cp < 0x80) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r');
    }
    return cp == 0x85
        || cp == 0xA0
        || Character.getType(cp) == Character.SPACE_SEPARATOR
        || cp == 0x2028
        || cp == 0x2029;
  }

  /**
   * Lexically cleans a '/'-separated path: repeated slashes and "." go, ".." removes the element
   * before it (at the root it is dropped; at the start of a relative path it stays), no trailing
   * slash; an empty result is ".".
   */
  static String cleanPath(String path) {
    if (path.isEmpty()) {
      return ".";
    }
    boolean rooted = path.startsWith("/");
    Deque<String> parts = new ArrayDeque<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
          parts.removeLast();
        } else if (!rooted) {
          parts.addLast("..");
        }
        continue;
      }
      parts.addLast(part);
    }
    String joined = String.join("/", parts);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }
}
