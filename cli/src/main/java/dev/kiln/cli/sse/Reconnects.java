package dev.kiln.cli.sse;

import java.time.Duration;

/**
 * How an event stream is re-opened: exponential backoff from {@code initialBackoff} up to {@code
 * maxBackoff}, and at most {@code maxFailuresInRow} failed connections in a row before giving up.
 */
public record Reconnects(Duration initialBackoff, Duration maxBackoff, int maxFailuresInRow) {

  /** About half a minute of retries against a gateway that is gone. */
  public static final Reconnects DEFAULT =
      new Reconnects(Duration.ofMillis(250), Duration.ofSeconds(5), 8);

  /** The pause before the next connection after {@code failuresInRow} failures (0: clean end). */
  public Duration backoff(int failuresInRow) {
    if (failuresInRow <= 0) {
      return initialBackoff;
    }
    long factor = 1L << Math.min(failuresInRow - 1, 20);
    Duration backoff = initialBackoff.multipliedBy(factor);
    return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
  }
}
