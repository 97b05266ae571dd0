package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.util.regex.Pattern;

/**
 * One pattern of a {@code .dockerignore} file, matched the way moby/patternmatcher v0.6 (used by
 * BuildKit's context transfer) matches it: a pattern without wildcards compares the whole path, a
 * trailing {@code **} compares a prefix, a leading {@code **} a suffix, anything else becomes a
 * regular expression where {@code *} and {@code ?} stay inside one path component and {@code **}
 * spans components.
 *
 * <p>Two corners are refused instead of copied: {@code *} or {@code ?} inside {@code [...]} and
 * POSIX classes such as {@code [[:alpha:]]}, whose meaning in patternmatcher is an accident of how
 * it builds its expression, and escapes of letters or digits ({@code \d}), which Go's regexp turns
 * into character classes. Both get an error that says how to write the pattern instead.
 */
final class IgnorePattern {

  enum Type {
    EXACT,
    PREFIX,
    SUFFIX,
    REGEX
  }

  private final String text;
  private final boolean exclusion;
  private final Type type;
  private final Pattern regex;

  private IgnorePattern(String text, boolean exclusion, Type type, Pattern regex) {
    this.text = text;
    this.exclusion = exclusion;
    this.type = type;
    this.regex = regex;
  }

  /**
   * Compiles a cleaned pattern (without its '!').
   *
   * @param where names the file and line for error messages
   */
  static IgnorePattern compile(String text, boolean exclusion, String where) {
    StringBuilder re = new StringBuilder();
    Type type = Type.EXACT;
    boolean regexSyntax = false;
    int pos = 0;
    for (int step = 0; pos < text.length(); step++) {
      int cp = text.codePointAt(pos);
      pos += Character.charCount(cp);
      if (cp == '*') {
        if (pos < text.length() && text.charAt(pos) == '*') {
          pos++;
          if (pos < text.length() && text.charAt(pos) == '/') {
            pos++;
          }
          if (pos == text.length()) {
            if (type == Type.EXACT) {
              type = Type.PREFIX;
            } else {
              re.append("[^\\n]*");
              type = Type.REGEX;
            }
          } else {
            re.append("(?:[^\\n]*/)?");
            type = Type.REGEX;
          }
          if (step == 0) {
            type = Type.SUFFIX;
          }
        } else {
          re.append("[^/]*");
          type = Type.REGEX;
        }
      } else if (cp == '?') {
        re.append("[^/]");
        type = Type.REGEX;
      } else if (".+()$".indexOf(cp) >= 0) {
        re.append('\\').appendCodePoint(cp);
      } else if ("{}|".indexOf(cp) >= 0) {
        regexSyntax = true;
        re.append('\\').appendCodePoint(cp);
      } else if (cp == '\\') {
        if (pos == text.length()) {
          throw invalid(where, text, "it ends with a lone '\\'; escape it as '\\\\'");
        }
        int escaped = text.codePointAt(pos);
        pos += Character.charCount(escaped);
        requirePunctuation(escaped, where, text);
        re.append('\\').appendCodePoint(escaped);
        type = Type.REGEX;
      } else if (cp == '[') {
        pos = compileClass(text, pos, re, where);
        type = Type.REGEX;
      } else if (cp == ']') {
        re.append("\\]");
        type = Type.REGEX;
      } else if (ContextNames.isEscapeCodePoint(cp)) {
        re.append('\uFFFD'); // see matches: Go reads a byte that is not UTF-8 as U+FFFD
      } else {
        // '^' stays unescaped, as in patternmatcher, where it anchors (and so never matches)
        re.appendCodePoint(cp);
      }
    }
    if (regexSyntax && type == Type.REGEX) {
      throw invalid(
          where,
          text,
          "'{', '}' and '|' next to wildcards are read by Docker as regular-expression syntax"
              + " (braces are not expanded); escape them as \\{ \\} \\| or list the"
              + " alternatives as separate lines");
    }
    if (type == Type.REGEX && text.startsWith("\uFEFF")) {
      // BuildKit reads wildcard patterns with Go's text/scanner, which skips a leading BOM
      re.deleteCharAt(0);
    }
    Pattern regex = type == Type.REGEX ? Pattern.compile(re.toString()) : null;
    return new IgnorePattern(ContextNames.asGoSeesIt(text), exclusion, type, regex);
  }

  /** Parses {@code [...]} from just after '[' with filepath.Match's syntax rules. */
  private static int compileClass(String text, int pos, StringBuilder re, String where) {
    StringBuilder cls = new StringBuilder("[");
    if (pos < text.length() && text.charAt(pos) == '^') {
      cls.append('^');
      pos++;
    }
    int ranges = 0;
    while (true) {
      if (pos < text.length() && text.charAt(pos) == ']' && ranges > 0) {
        pos++;
        break;
      }
      int[] lo = classChar(text, pos, where);
      pos = lo[1];
      int hi = lo[0];
      if (text.charAt(pos) == '-') {
        int[] end = classChar(text, pos + 1, where);
        pos = end[1];
        hi = end[0];
      }
      if (hi < lo[0]) {
        throw invalid(where, text, "the range in [...] runs backwards; write the lower end first");
      }
      cls.append("\\x{").append(Integer.toHexString(lo[0])).append('}');
      if (hi != lo[0]) {
        cls.append("-\\x{").append(Integer.toHexString(hi)).append('}');
      }
      ranges++;
    }
    re.append(cls).append(']');
    return pos;
  }

  /** One character of a class at pos: {code point, position after it}. */
  private static int[] classChar(String text, int pos, String where) {
    if (pos >= text.length()) {
      throw invalid(where, text, "a '[' is never closed; close it with ']' or escape it as '\\['");
    }
    int cp = text.codePointAt(pos);
    if (cp == '-' || cp == ']') {
      throw invalid(
          where, text, "'" + (char) cp + "' is misplaced inside [...]; escape it with '\\'");
    }
    if (cp == '*' || cp == '?') {
      throw invalid(
          where,
          text,
          "'"
              + (char) cp
              + "' inside [...] has no reliable meaning in Docker; escape it as '\\"
              + (char) cp
              + "'");
    }
    if (cp == '[' && pos + 1 < text.length() && text.charAt(pos + 1) == ':') {
      throw invalid(where, text, "POSIX classes such as [:alpha:] are not supported; list a range");
    }
    pos += Character.charCount(cp);
    if (cp == '\\') {
      if (pos >= text.length()) {
        throw invalid(where, text, "a '[' is never closed; close it with ']'");
      }
      cp = text.codePointAt(pos);
      requirePunctuation(cp, where, text);
      pos += Character.charCount(cp);
    }
    if (pos >= text.length()) {
      throw invalid(where, text, "a '[' is never closed; close it with ']' or escape it as '\\['");
    }
    if (ContextNames.isEscapeCodePoint(cp)) {
      throw invalid(
          where,
          text,
          "it holds a byte that is not UTF-8 inside [...], which Docker refuses as a syntax error;"
              + " match that byte with '?' instead");
    }
    return new int[] {cp, pos};
  }

  private static void requirePunctuation(int cp, String where, String text) {
    boolean punctuation =
        (cp >= '!' && cp <= '/')
            || (cp >= ':' && cp <= '@')
            || (cp >= '[' && cp <= '`')
            || (cp >= '{' && cp <= '~');
    if (!punctuation) {
      throw invalid(
          where,
          text,
          "'\\"
              + Character.toString(cp)
              + "' is not a plain escape (Docker reads it as a regular expression class);"
              + " only escape punctuation such as \\* \\? \\[");
    }
  }

  private static InvalidInputException invalid(String where, String text, String problem) {
    return new InvalidInputException(
        where + ": the pattern '" + text + "' is invalid: " + problem, where);
  }

  boolean exclusion() {
    return exclusion;
  }

  String text() {
    return text;
  }

  /**
   * @param path the path as kiln keeps it
   * @param seen the same path as Go's regexp reads it ({@link ContextNames#asGoSeesIt}): only
   *     wildcard patterns go through a regexp in BuildKit; the others compare bytes, so a byte that
   *     is not UTF-8 never equals the U+FFFD such a byte became in the pattern
   */
  boolean matches(String path, String seen) {
    return switch (type) {
      case EXACT -> path.equals(text);
      case PREFIX -> path.startsWith(text.substring(0, text.length() - 2));
      case SUFFIX -> {
        String suffix = text.substring(2);
        yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
      }
      case REGEX -> regex.matcher(seen).matches();
    };
  }

  /**
   * Whether this pattern could match some path strictly below {@code dirPath}. May answer true when
   * it cannot (the walker then merely looks inside), never false when it can.
   */
  boolean canMatchBelow(String dirPath) {
    String dirSlash = dirPath + "/";
    switch (type) {
      case EXACT:
        return text.startsWith(dirSlash);
      case PREFIX:
        String prefix = text.substring(0, text.length() - 2);
        return prefix.startsWith(dirSlash) || dirSlash.startsWith(prefix);
      case SUFFIX:
        return true;
      default:
        break;
    }
    if (text.contains("**")
        || text.indexOf('[') >= 0
        || text.indexOf('\\') >= 0
        || text.indexOf('^') >= 0) {
      return true;
    }
    // without '**' every component of the pattern matches exactly one path component
    String[] patternParts = text.split("/", -1);
    // BuildKit decides whether to enter an excluded directory by comparing the pattern's text with
    // the directory's bytes, so a byte that is not UTF-8 there never meets the pattern's U+FFFD
    String[] dirParts = dirPath.split("/", -1);
    if (patternParts.length <= dirParts.length) {
      return false;
    }
    for (int i = 0; i < dirParts.length; i++) {
      if (!componentGlob(patternParts[i]).matcher(dirParts[i]).matches()) {
        return false;
      }
    }
    return true;
  }

  private static Pattern componentGlob(String component) {
    StringBuilder re = new StringBuilder();
    component
        .codePoints()
        .forEach(
            cp -> {
              if (cp == '*') {
                re.append("[^/]*");
              } else if (cp == '?') {
                re.append("[^/]");
              } else {
                re.append("\\x{").append(Integer.toHexString(cp)).append('}');
              }
            });
    return Pattern.compile(re.toString());
  }

  @Override
  public String toString() {
    return (exclusion ? "!" : "") + text;
  }
}
