package dev.kiln.registry.resilience;

import dev.kiln.registry.metrics.RegistryMetrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * One resilience4j circuit breaker per registry host: after enough 5xx answers, timeouts and
 * connection failures a host is not called for a while, so callers get UNAVAILABLE at once instead
 * of waiting on a registry that is down.
 */
public final class HostBreakers {

  /**
   * @param window the last N requests the failure rate is computed over
   * @param minimumCalls no decision before this many requests
   * @param failureRatePercent the host's breaker opens at this failure rate
   * @param openFor how long an open breaker refuses requests before letting a few through
   * @param halfOpenCalls requests let through to test a host again
   * @param enabled false never refuses a request (tools, unit tests)
   */
  public record Settings(
      int window,
      int minimumCalls,
      float failureRatePercent,
      Duration openFor,
      int halfOpenCalls,
      boolean enabled) {

    public static Settings defaults() {
      return new Settings(20, 10, 50f, Duration.ofSeconds(30), 3, true);
    }

    public static Settings disabled() {
      return new Settings(20, 10, 50f, Duration.ofSeconds(30), 3, false);
    }
  }

  private final Settings settings;
  private final CircuitBreakerRegistry breakers;
  private final RegistryMetrics metrics;

  public HostBreakers(Settings settings, Clock clock, RegistryMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.window())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .clock(clock)
                .build());
  }

  public CircuitBreaker forHost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    return breakers
        .find(name)
        .orElseGet(
            () -> {
              CircuitBreaker breaker = breakers.circuitBreaker(name);
              if (!settings.enabled()) {
                breaker.transitionToDisabledState();
              }
              metrics.circuitState(name, () -> stateValue(breaker.getState()));
              return breaker;
            });
  }

  public Duration openFor() {
    return settings.openFor();
  }

  private static int stateValue(CircuitBreaker.State state) {
    return switch (state) {
      case HALF_OPEN -> 1;
      case OPEN, FORCED_OPEN -> 2;
      default -> 0;
    };
  }
}
