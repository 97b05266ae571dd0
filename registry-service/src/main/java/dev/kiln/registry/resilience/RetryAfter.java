package dev.kiln.registry.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The {@code Retry-After} header: delay-seconds or an HTTP-date.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3">RFC 9110 §10.2.3</a>
 */
public final class RetryAfter {

  private RetryAfter() {}

  /** The wait the header asks for, never negative; empty when absent or unreadable. */
  public static Optional<Duration> parse(Optional<String> header, Instant now) {
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    String value = header.get().trim();
    try {
      long seconds = Long.parseLong(value);
      return Optional.of(Duration.ofSeconds(Math.max(0, seconds)));
    } catch (NumberFormatException notSeconds) {
      // an HTTP-date then
    }
    try {
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(now, at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
