package dev.kiln.registry.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @ParameterizedTest(name = "''{0}'' waits {1} s")
  @CsvSource({
    "3, 3",
    "' 0 ', 0",
    "-5, 0",
    "'Thu, 01 Jan 2026 00:00:30 GMT', 30",
    "'Wed, 31 Dec 2025 23:00:00 GMT', 0",
  })
  void readsSecondsAndHttpDates(String header, long seconds) {
    assertThat(RetryAfter.parse(Optional.of(header), NOW)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest(name = "''{0}''")
  @CsvSource({"''", "soon", "'2026-01-01T00:00:30Z'"})
  void ignoresWhatItCannotRead(String header) {
    assertThat(RetryAfter.parse(Optional.of(header), NOW)).isEmpty();
  }
}
