package dev.kiln.worker.build;

import java.time.Duration;

/**
 * How often and how patiently a transient failure is retried: the pause doubles from {@code
 * initial} up to {@code max}, for at most {@code attempts} tries in all.
 */
public record Backoff(int attempts, Duration initial, Duration max, Sleeper sleeper) {

  /** Pauses between attempts; tests pass one that only records. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
  }

  public Backoff {
    if (attempts < 1) {
      throw new IllegalArgumentException("a backoff needs at least one attempt, got " + attempts);
    }
  }

  /** The pause after failed attempt {@code attempt} (1-based). */
  public Duration pauseAfter(int attempt) {
    Duration pause = initial;
    for (int i = 1; i < attempt && pause.compareTo(max) < 0; i++) {
      pause = pause.multipliedBy(2);
    }
    return pause.compareTo(max) > 0 ? max : pause;
  }

  /** Sleeps the pause after {@code attempt}; false when interrupted (the flag is set again). */
  public boolean pause(int attempt) {
    try {
      sleeper.sleep(pauseAfter(attempt));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
