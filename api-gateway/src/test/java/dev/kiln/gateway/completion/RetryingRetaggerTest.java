package dev.kiln.gateway.completion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.FakeRetagger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryingRetaggerTest {
  private final FakeRetagger registry = new FakeRetagger();
  private final List<Duration> sleeps = new ArrayList<>();
  private final RetryingRetagger retagger =
      new RetryingRetagger(registry, sleeps::add, 4, Duration.ofMillis(100));

  @Test
  void retriesRetryableFailuresWithDoublingBackoff() {
    registry.failWith(new RetagException("UNAVAILABLE", true, null), 3);

    String digest = retagger.retag("src", "dst", "sha256:d");

    assertThat(digest).isEqualTo("sha256:d");
    assertThat(registry.calls()).hasSize(4);
    assertThat(sleeps)
        .containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
  }

  @Test
  void givesUpAfterTheLastAttemptWithTheRegistrysError() {
    registry.failWith(new RetagException("UNAVAILABLE: down", true, null), 4);

    assertThatThrownBy(() -> retagger.retag("src", "dst", ""))
        .isInstanceOf(RetagException.class)
        .hasMessage("UNAVAILABLE: down");
    assertThat(registry.calls()).hasSize(4);
  }

  @Test
  void doesNotRetryPermanentFailures() {
    registry.failWith(new RetagException("NOT_FOUND: no such manifest", false, null), 1);

    assertThatThrownBy(() -> retagger.retag("src", "dst", "")).hasMessageContaining("NOT_FOUND");
    assertThat(registry.calls()).hasSize(1);
    assertThat(sleeps).isEmpty();
  }
}
