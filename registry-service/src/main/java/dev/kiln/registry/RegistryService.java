package dev.kiln.registry;

import dev.kiln.registry.auth.Credentials;
import dev.kiln.registry.metrics.MetricsServer;
import dev.kiln.registry.metrics.RegistryMetrics;
import dev.kiln.registry.resilience.HostBreakers;
import dev.kiln.registry.resilience.RetryPolicy;
import dev.kiln.registry.resilience.Sleeper;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/** The registry-service: the {@code kiln.registry.v1.Registry} gRPC server. */
public final class RegistryService implements AutoCloseable {

  /**
   * @param grpcAddress where the gRPC server listens (port 0 picks a free one)
   * @param insecureHosts registry hosts ({@code host:port}) spoken to over plain HTTP
   * @param credentials {@code KILN_REGISTRY_USERNAME}/{@code PASSWORD}, sent to the hosts of {@code
   *     authHosts} that ask for authentication; empty for none
   * @param requestTimeout the longest one registry HTTP request may take; the caller's deadline
   *     shortens it
   * @param authHosts the hosts {@code credentials} are for; empty means every host
   * @param dockerConfig a Docker {@code config.json} with more credentials per host
   * @param metricsAddress where to serve {@code /metrics} in Prometheus text format; empty for none
   * @param retry how registry requests are retried
   * @param breaker the circuit breaker per registry host
   */
  public record Config(
      InetSocketAddress grpcAddress,
      Set<String> insecureHosts,
      Optional<Credentials> credentials,
      Duration requestTimeout,
      Set<String> authHosts,
      Optional<Path> dockerConfig,
      Optional<InetSocketAddress> metricsAddress,
      RetryPolicy retry,
      HostBreakers.Settings breaker) {

    public static final String DEFAULT_GRPC_ADDR = "127.0.0.1:8491";
    public static final String DEFAULT_INSECURE = "127.0.0.1:5100";

    public Config {
      insecureHosts = Set.copyOf(insecureHosts);
      authHosts = Set.copyOf(authHosts);
    }

    /** Credentials for every host, no Docker config, no metrics endpoint, default resilience. */
    public Config(
        InetSocketAddress grpcAddress,
        Set<String> insecureHosts,
        Optional<Credentials> credentials,
        Duration requestTimeout) {
      this(
          grpcAddress,
          insecureHosts,
          credentials,
          requestTimeout,
          Set.of(),
          Optional.empty(),
          Optional.empty(),
          RetryPolicy.defaults(),
          HostBreakers.Settings.defaults());
    }

    /** Reads the {@code KILN_*} variables of the registry-service (see docs/architecture.md). */
    public static Config fromEnvironment(Map<String, String> env) {
      return ConfigParser.parse(env);
    }

    public Config withCredentials(Optional<Credentials> newCredentials, Set<String> newAuthHosts) {
      return new Config(
          grpcAddress,
          insecureHosts,
          newCredentials,
          requestTimeout,
          newAuthHosts,
          dockerConfig,
          metricsAddress,
          retry,
          breaker);
    }

    public Config withDockerConfig(Optional<Path> file) {
      return new Config(
          grpcAddress,
          insecureHosts,
          credentials,
          requestTimeout,
          authHosts,
          file,
          metricsAddress,
          retry,
          breaker);
    }

    public Config withMetricsAddress(Optional<InetSocketAddress> address) {
      return new Config(
          grpcAddress,
          insecureHosts,
          credentials,
          requestTimeout,
          authHosts,
          dockerConfig,
          address,
          retry,
          breaker);
    }

    public Config withResilience(RetryPolicy newRetry, HostBreakers.Settings newBreaker) {
      return new Config(
          grpcAddress,
          insecureHosts,
          credentials,
          requestTimeout,
          authHosts,
          dockerConfig,
          metricsAddress,
          newRetry,
          newBreaker);
    }
  }

  /**
   * What the service takes from its surroundings, injected so tests control time and meters.
   *
   * @param meters must be a {@link PrometheusMeterRegistry} when the config asks for a metrics
   *     endpoint
   */
  public record Dependencies(
      Clock clock, Sleeper sleeper, DoubleSupplier random, MeterRegistry meters) {

    public static Dependencies system() {
      return new Dependencies(
          Clock.systemUTC(),
          Sleeper.system(),
          () -> ThreadLocalRandom.current().nextDouble(),
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }
  }

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final Config config;
  private final Dependencies dependencies;
  private final RegistryMetrics metrics;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private Server server;
  private MetricsServer metricsServer;

  public RegistryService(Config config) {
    this(config, Dependencies.system());
  }

  public RegistryService(Config config, Dependencies dependencies) {
    this.config = config;
    this.dependencies = dependencies;
    this.metrics = new RegistryMetrics(dependencies.meters());
  }

  /**
   * @throws IllegalArgumentException when the Docker config cannot be read or the metrics endpoint
   *     is asked for without a Prometheus registry
   * @throws UncheckedIOException when a port cannot be bound
   */
  public synchronized void start() {
    server =
        NettyServerBuilder.forAddress(config.grpcAddress())
            // registry calls block on HTTP; a virtual thread per call keeps that cheap
            .executor(executor)
            .addService(ServiceWiring.grpcService(config, dependencies, metrics))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to start the registry-service gRPC server on "
              + config.grpcAddress()
              + " but failed ("
              + e.getMessage()
              + "); free the port or set KILN_GRPC_ADDR to another address",
          e);
    }
    if (config.metricsAddress().isPresent()) {
      if (!(dependencies.meters() instanceof PrometheusMeterRegistry prometheus)) {
        throw new IllegalArgumentException(
            "KILN_METRICS_ADDR needs a Prometheus meter registry; pass one in Dependencies");
      }
      metricsServer = MetricsServer.start(config.metricsAddress().get(), prometheus);
    }
  }

  /** The port the gRPC server listens on (useful when configured with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the registry-service is not started; call start() first");
    }
    return server.getPort();
  }

  /** The port of the metrics endpoint, when one was configured. */
  public synchronized Optional<Integer> metricsPort() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::port);
  }

  public RegistryMetrics metrics() {
    return metrics;
  }

  public void awaitTermination() throws InterruptedException {
    Server current;
    synchronized (this) {
      current = server;
    }
    if (current != null) {
      current.awaitTermination();
    }
  }

  @Override
  public synchronized void close() {
    if (metricsServer != null) {
      metricsServer.close();
    }
    if (server != null) {
      server.shutdown();
      try {
        if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          server.shutdownNow();
        }
      } catch (InterruptedException e) {
        server.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    executor.shutdownNow();
  }
}
