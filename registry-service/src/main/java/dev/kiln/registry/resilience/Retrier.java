package dev.kiln.registry.resilience;

import dev.kiln.registry.metrics.RegistryMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Runs one registry request with retries: jittered exponential backoff, {@code Retry-After}
 * honoured, the host's circuit breaker consulted before and told after every attempt, and no retry
 * that the caller's deadline leaves no time for. What is retryable is the caller's {@link
 * Classifier}'s decision.
 */
public final class Retrier {

  /** Below this, an attempt after the wait could not get an answer before the deadline anyway. */
  private static final Duration MIN_ATTEMPT_TIME = Duration.ofMillis(20);

  /** How one attempt went, as far as retrying and the host's health are concerned. */
  public record Verdict(boolean retry, boolean hostFailure, Optional<Duration> retryAfter) {

    public static final Verdict DONE = new Verdict(false, false, Optional.empty());

    public static Verdict retry(boolean hostFailure, Optional<Duration> retryAfter) {
      return new Verdict(true, hostFailure, retryAfter);
    }
  }

  /** Judges attempts for one kind of request. */
  public interface Classifier<T> {
    Verdict ofResult(T result);

    Verdict ofFailure(RuntimeException failure);

    /** A short reason for the retry counter: the status or the failure kind. */
    String reason(T result, RuntimeException failure);

    /** Releases a result that is dropped for another attempt (an unread body). */
    default void discard(T result) {}
  }

  private final RetryPolicy policy;
  private final HostBreakers breakers;
  private final CallDeadline deadline;
  private final Clock clock;
  private final Sleeper sleeper;
  private final DoubleSupplier random;
  private final RegistryMetrics metrics;

  public Retrier(
      RetryPolicy policy,
      HostBreakers breakers,
      CallDeadline deadline,
      Clock clock,
      Sleeper sleeper,
      DoubleSupplier random,
      RegistryMetrics metrics) {
    this.policy = policy;
    this.breakers = breakers;
    this.deadline = deadline;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.metrics = metrics;
  }

  /** No retries, no breaker: every request is sent exactly once. */
  public static Retrier once(Clock clock, RegistryMetrics metrics) {
    return new Retrier(
        RetryPolicy.none(),
        new HostBreakers(HostBreakers.Settings.disabled(), clock, metrics),
        CallDeadline.none(),
        clock,
        Sleeper.system(),
        () -> 0.5,
        metrics);
  }

  public CallDeadline deadline() {
    return deadline;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * @return the first result that is not worth retrying, or the last one when attempts, the
   *     deadline or the host's {@code Retry-After} end the retries
   * @throws HostCircuitOpenException when the host's breaker refuses the request
   */
  public <T> T call(String host, Supplier<T> attempt, Classifier<T> classifier) {
    CircuitBreaker breaker = breakers.forHost(host);
    for (int number = 1; ; number++) {
      if (!breaker.tryAcquirePermission()) {
        metrics.circuitRejected(host);
        throw new HostCircuitOpenException(
            host,
            "the registry host "
                + host
                + " is failing (its circuit breaker opened after "
                + Math.round(breaker.getMetrics().getFailureRate())
                + "% of the last requests failed), so kiln is not calling it for up to "
                + breakers.openFor().toSeconds()
                + " s; check that registry and retry later");
      }
      long start = System.nanoTime();
      T result = null;
      RuntimeException failure = null;
      Verdict verdict;
      try {
        result = attempt.get();
        verdict = classifier.ofResult(result);
      } catch (RuntimeException e) {
        failure = e;
        verdict = classifier.ofFailure(e);
      }
      long took = System.nanoTime() - start;
      if (verdict.hostFailure()) {
        breaker.onError(took, TimeUnit.NANOSECONDS, failure != null ? failure : HostFailure.SERVER);
      } else {
        breaker.onSuccess(took, TimeUnit.NANOSECONDS);
      }

      Optional<Duration> wait =
          verdict.retry() ? waitBeforeRetry(number, verdict) : Optional.empty();
      if (wait.isEmpty()) {
        return finish(result, failure);
      }
      classifier.discard(result);
      metrics.retry(classifier.reason(result, failure));
      try {
        sleeper.sleep(wait.get());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return finish(result, failure);
      }
    }
  }

  /** The wait before attempt {@code number + 1}, or empty when there is to be none. */
  private Optional<Duration> waitBeforeRetry(int number, Verdict verdict) {
    if (number >= policy.maxAttempts() || Thread.currentThread().isInterrupted()) {
      return Optional.empty();
    }
    Duration wait = policy.backoff(number, random.getAsDouble());
    if (verdict.retryAfter().isPresent()) {
      Duration asked = verdict.retryAfter().get();
      if (asked.compareTo(policy.maxRetryAfter()) > 0) {
        return Optional.empty();
      }
      wait = asked.compareTo(wait) > 0 ? asked : wait;
    }
    Optional<Duration> left = deadline.remaining();
    if (left.isPresent() && wait.plus(MIN_ATTEMPT_TIME).compareTo(left.get()) > 0) {
      return Optional.empty();
    }
    return Optional.of(wait);
  }

  private static <T> T finish(T result, RuntimeException failure) {
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /** What the breaker records for a 5xx answer, which is a result, not an exception. */
  private static final class HostFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final HostFailure SERVER = new HostFailure();

    private HostFailure() {
      super("the registry answered 5xx", null, false, false);
    }
  }
}
