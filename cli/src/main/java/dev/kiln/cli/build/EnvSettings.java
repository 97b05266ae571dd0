package dev.kiln.cli.build;

import dev.kiln.core.InvalidInputException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Settings the CLI reads from the environment. */
public final class EnvSettings {
  public static final String DEFAULT_URL = "http://127.0.0.1:8480";
  public static final Duration DEFAULT_BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final Map<String, String> env;

  public EnvSettings(Map<String, String> env) {
    this.env = env;
  }

  /** {@code --url}, else KILN_URL, else the local gateway. */
  public String gatewayUrl(String option) {
    return firstSet(option, env.get("KILN_URL"), DEFAULT_URL);
  }

  /** {@code --token}, else KILN_TOKEN; null when neither is set. */
  public String token(String option) {
    return firstSet(option, env.get("KILN_TOKEN"), null);
  }

  /**
   * False when KILN_SMART_BUILDS_ENABLED or OKTETO_SMART_BUILDS_ENABLED says so ({@code false},
   * {@code 0}, {@code no}, {@code off}); unset means on. Any other value is an error rather than a
   * silent "on": a mistyped switch must not skip a build the user wanted.
   */
  public boolean smartBuilds() {
    return enabled("KILN_SMART_BUILDS_ENABLED") && enabled("OKTETO_SMART_BUILDS_ENABLED");
  }

  private boolean enabled(String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return true;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default ->
          throw new InvalidInputException(
              name + "='" + value + "' is not a switch; set it to true or false", name);
    };
  }

  /**
   * KILN_BUILD_TIMEOUT: {@code 90s}, {@code 30m}, {@code 1h}, {@code 500ms}, plain seconds, or
   * ISO-8601 ({@code PT30M}); default 30 minutes.
   */
  public Duration buildTimeout() {
    String text = env.get("KILN_BUILD_TIMEOUT");
    if (text == null || text.isBlank()) {
      return DEFAULT_BUILD_TIMEOUT;
    }
    Duration timeout = parseDuration(text.strip());
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new InvalidInputException(
          "KILN_BUILD_TIMEOUT='"
              + text
              + "' is not a positive duration; write e.g. 90s, 30m, 1h or a number of seconds",
          "KILN_BUILD_TIMEOUT");
    }
    return timeout;
  }

  static Duration parseDuration(String text) {
    try {
      return parseDurationOrThrow(text);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static Duration parseDurationOrThrow(String text) {
    if (text.chars().allMatch(Character::isDigit)) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
    Matcher go = GO_DURATION.matcher(text);
    if (go.matches()) {
      long amount = Long.parseLong(go.group(1));
      return switch (go.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String firstSet(String option, String fromEnv, String fallback) {
    if (option != null && !option.isBlank()) {
      return option;
    }
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return fallback;
  }
}
