package dev.kiln.registry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The registry-service's meters: gRPC calls and registry HTTP requests (count and latency by
 * operation and outcome), retries, and the state of each registry host's circuit breaker.
 */
public final class RegistryMetrics {

  public static final String RPC = "kiln.registry.rpc";
  public static final String HTTP = "kiln.registry.http";
  public static final String RETRIES = "kiln.registry.http.retries";
  public static final String CIRCUIT_REJECTED = "kiln.registry.circuit.rejected";
  public static final String CIRCUIT_STATE = "kiln.registry.circuit.state";

  private final MeterRegistry registry;

  public RegistryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters kept in memory only, for tests and tools that do not export them. */
  public static RegistryMetrics inMemory() {
    return new RegistryMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * @param method {@code exists}, {@code resolve} or {@code retag}
   * @param outcome {@code ok}, {@code absent} or the gRPC status code in lower case
   */
  public void rpc(String method, String outcome, long nanos) {
    Timer.builder(RPC)
        .description("registry-service gRPC calls")
        .tag("method", method)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * @param operation what the request does, e.g. {@code manifest.head}, {@code blob.mount}, {@code
   *     token}
   * @param outcome the HTTP status ({@code 200}, {@code 404}, ...) or {@code timeout}, {@code
   *     connection_error}, {@code circuit_open}
   */
  public void http(String operation, String outcome, long nanos) {
    Timer.builder(HTTP)
        .description("HTTP requests to registries and token services, one per attempt")
        .tag("operation", operation)
        .tag("outcome", outcome)
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * @param reason the HTTP status or failure that made the request worth another attempt
   */
  public void retry(String reason) {
    Counter.builder(RETRIES)
        .description("registry requests sent again after a retryable failure")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  public void circuitRejected(String host) {
    Counter.builder(CIRCUIT_REJECTED)
        .description("registry requests refused because the host's circuit breaker is open")
        .tag("host", host)
        .register(registry)
        .increment();
  }

  /** 0 closed, 1 half-open, 2 open (other resilience4j states count as closed). */
  public void circuitState(String host, Supplier<Number> state) {
    Gauge.builder(CIRCUIT_STATE, state)
        .description("circuit breaker state per registry host: 0 closed, 1 half-open, 2 open")
        .tag("host", host)
        .register(registry);
  }
}
