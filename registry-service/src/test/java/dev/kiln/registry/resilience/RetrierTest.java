package dev.kiln.registry.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.testing.RecordingSleeper;
import dev.kiln.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retries, Retry-After, deadline and circuit breaker on a fake clock: nothing sleeps. */
class RetrierTest {

  private static final RetryPolicy POLICY =
      new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10));

  private final MutableClock clock = new MutableClock();
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final RegistryMetrics metrics = RegistryMetrics.inMemory();
  private Instant deadline = null;

  /** Results are HTTP statuses; 503 and 429 are retryable, "fail" throws. */
  private final Retrier.Classifier<Integer> statuses =
      new Retrier.Classifier<>() {
        @Override
        public Retrier.Verdict ofResult(Integer status) {
          if (status == 429) {
            return Retrier.Verdict.retry(false, Optional.of(Duration.ofSeconds(2)));
          }
          return status >= 500
              ? Retrier.Verdict.retry(true, Optional.empty())
              : Retrier.Verdict.DONE;
        }

        @Override
        public Retrier.Verdict ofFailure(RuntimeException failure) {
          return Retrier.Verdict.retry(true, Optional.empty());
        }

        @Override
        public String reason(Integer status, RuntimeException failure) {
          return status == null ? "error" : status.toString();
        }
      };

  @Test
  void retriesUntilASuccessWithDoublingJitteredWaits() {
    Attempts attempts = new Attempts(503, 503, 503, 200);

    assertThat(retrier(POLICY, breakers(false), 0.0).call("h", attempts, statuses)).isEqualTo(200);

    // random 0: half of 100, 200, 400 ms
    assertThat(sleeper.waits())
        .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void returnsTheLastAnswerAfterTheLastAttempt() {
    Attempts attempts = new Attempts(503, 503, 503, 503, 503, 200);

    assertThat(retrier(POLICY, breakers(false), 0.5).call("h", attempts, statuses)).isEqualTo(503);
    assertThat(attempts.sent).isEqualTo(5);
  }

  @Test
  void rethrowsTheLastFailure() {
    Attempts attempts = new Attempts(-1, -1, -1, -1, -1);

    assertThatThrownBy(() -> retrier(POLICY, breakers(false), 0.5).call("h", attempts, statuses))
        .hasMessage("attempt 5 failed");
  }

  @Test
  void honoursRetryAfterOverAShorterBackoff() {
    Attempts attempts = new Attempts(429, 200);

    retrier(POLICY, breakers(false), 0.5).call("h", attempts, statuses);

    assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void aRetryAfterBeyondTheLimitEndsTheRetriesAtOnce() {
    RetryPolicy impatient =
        new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1));
    Attempts attempts = new Attempts(429, 200);

    assertThat(retrier(impatient, breakers(false), 0.5).call("h", attempts, statuses))
        .isEqualTo(429);
    assertThat(sleeper.waits()).isEmpty();
  }

  @Test
  void noRetryIsStartedThatTheDeadlineLeavesNoTimeFor() {
    deadline = clock.instant().plus(Duration.ofMillis(300));
    Attempts attempts = new Attempts(503, 503, 503, 503, 200);

    assertThat(retrier(POLICY, breakers(false), 0.0).call("h", attempts, statuses)).isEqualTo(503);
    // 50 + 100 ms waited; a 200 ms wait plus a 20 ms attempt does not fit the 150 ms left
    assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
  }

  @ParameterizedTest(name = "retry {0} with random {1} waits {2} ms")
  @CsvSource({"1, 0.0, 50", "1, 0.999, 99", "2, 0.5, 150", "4, 0.0, 400", "9, 0.0, 500"})
  void backoffIsHalfFixedHalfRandomAndCapped(int retry, double random, long millis) {
    assertThat(POLICY.backoff(retry, random).toMillis()).isEqualTo(millis);
  }

  @Test
  void aHostWhoseRequestsKeepFailingIsRefusedUntilItsBreakerLetsATestThrough() {
    HostBreakers breakers = breakers(true);
    Retrier once = retrier(RetryPolicy.none(), breakers, 0.5);
    for (int i = 0; i < 4; i++) {
      once.call("bad", new Attempts(503), statuses);
    }
    Attempts refused = new Attempts(200);

    assertThatThrownBy(() -> once.call("bad", refused, statuses))
        .isInstanceOf(HostCircuitOpenException.class)
        .hasMessageContaining("the registry host bad is failing");
    assertThat(refused.sent).isZero();
    assertThat(once.call("good", new Attempts(200), statuses)).isEqualTo(200);

    clock.advance(Duration.ofSeconds(31));
    assertThat(once.call("bad", new Attempts(200), statuses)).isEqualTo(200);
  }

  @Test
  void rateLimitingDoesNotCountAgainstTheHost() {
    Retrier once = retrier(RetryPolicy.none(), breakers(true), 0.5);
    for (int i = 0; i < 10; i++) {
      once.call("busy", new Attempts(429), statuses);
    }

    assertThat(once.call("busy", new Attempts(200), statuses)).isEqualTo(200);
  }

  private Retrier retrier(RetryPolicy policy, HostBreakers breakers, double random) {
    CallDeadline callDeadline =
        () ->
            deadline == null
                ? Optional.empty()
                : Optional.of(Duration.between(clock.instant(), deadline));
    return new Retrier(policy, breakers, callDeadline, clock, sleeper, () -> random, metrics);
  }

  private HostBreakers breakers(boolean enabled) {
    return new HostBreakers(
        new HostBreakers.Settings(4, 4, 50f, Duration.ofSeconds(30), 1, enabled), clock, metrics);
  }

  /** Answers the given statuses in order; -1 throws. */
  private static final class Attempts implements java.util.function.Supplier<Integer> {
    private final Deque<Integer> answers;
    private final List<Integer> seen = new ArrayList<>();
    int sent;

    Attempts(Integer... answers) {
      this.answers = new ArrayDeque<>(List.of(answers));
    }

    @Override
    public Integer get() {
      sent++;
      int answer = answers.removeFirst();
      seen.add(answer);
      if (answer < 0) {
        throw new IllegalStateException("attempt " + sent + " failed");
      }
      return answer;
    }
  }
}
