package dev.kiln.registry.auth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header: a scheme ({@code Basic}, {@code Bearer}) and
 * its auth-params with lower-case names.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7235#section-4.1">RFC 7235 §4.1, the header</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3, Bearer</a>
 */
public record Challenge(String scheme, Map<String, String> params) {

  private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";

  public Challenge {
    scheme = scheme.toLowerCase(Locale.ROOT);
    params = Map.copyOf(params);
  }

  public boolean isBearer() {
    return scheme.equals("bearer");
  }

  public boolean isBasic() {
    return scheme.equals("basic");
  }

  public Optional<String> param(String name) {
    return Optional.ofNullable(params.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The challenges of a header value, in order. Malformed tails are dropped rather than failing:
   * the caller only needs the scheme and the few parameters it understands.
   */
  public static List<Challenge> parse(String header) {
    Parser parser = new Parser(header == null ? "" : header);
    List<Challenge> challenges = new ArrayList<>();
    while (true) {
      parser.skip(" \t,");
      if (parser.atEnd()) {
        return challenges;
      }
      String scheme = parser.token();
      if (scheme.isEmpty()) {
        parser.pos++; // not a challenge; step over the stray character
        continue;
      }
      challenges.add(new Challenge(scheme, parser.params()));
    }
  }

  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text;
    }

    /** auth-params up to the start of the next challenge ("token" not followed by '='). */
    Map<String, String> params() {
      Map<String, String> params = new LinkedHashMap<>();
      while (true) {
        int start = pos;
        skip(" \t,");
        String name = token();
        skip(" \t");
        if (name.isEmpty() || !peek('=')) {
          // the next challenge's scheme, or a token68 credential kiln has no use for
          pos = start;
          return params;
        }
        pos++;
        skip(" \t");
        String value = peek('"') ? quoted() : token();
        params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
      }
    }

    String token() {
      int start = pos;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
      return text.substring(start, pos);
    }

    String quoted() {
      StringBuilder value = new StringBuilder();
      pos++; // opening quote
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\' && pos < text.length()) {
          c = text.charAt(pos++);
        }
        value.append(c);
      }
      return value.toString();
    }

    void skip(String chars) {
      while (pos < text.length() && chars.indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
    }

    boolean atEnd() {
      return pos >= text.length();
    }

    boolean peek(char c) {
      return pos < text.length() && text.charAt(pos) == c;
    }

    private static boolean isTokenChar(char c) {
      return (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || TOKEN_SPECIALS.indexOf(c) >= 0;
    }
  }
}
