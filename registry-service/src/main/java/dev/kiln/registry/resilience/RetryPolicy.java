package dev.kiln.registry.resilience;

import java.time.Duration;

/**
 * How often and how patiently a failed registry request is sent again: exponential backoff with
 * "equal jitter" (half fixed, half random), so many workers hitting one failing registry spread
 * out.
 *
 * @param maxAttempts attempts in total, at least 1 (1 means no retries)
 * @param initialBackoff the base delay before the first retry
 * @param maxBackoff the base delay never grows beyond this
 * @param maxRetryAfter a {@code Retry-After} longer than this is not waited for: the request fails
 *     at once instead
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max, not " + initialBackoff + ", " + maxBackoff);
    }
  }

  public static RetryPolicy defaults() {
    return new RetryPolicy(
        5, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));
  }

  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /**
   * @param retry 1 before the first retry, 2 before the second, ...
   * @param random uniformly distributed in [0, 1)
   */
  public Duration backoff(int retry, double random) {
    long initial = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long base = initial;
    for (int i = 1; i < retry && base < max; i++) {
      base = Math.min(max, base * 2);
    }
    base = Math.min(base, max);
    return Duration.ofNanos(base / 2 + (long) (random * (base / 2.0)));
  }
}
