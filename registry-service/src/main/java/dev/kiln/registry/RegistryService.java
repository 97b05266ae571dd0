package dev.kiln.registry;

import dev.kiln.registry.auth.BasicAuthenticator;
import dev.kiln.registry.auth.Credentials;
import dev.kiln.registry.auth.RegistryAuthenticator;
import dev.kiln.registry.grpc.RegistryGrpcService;
import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryTransport;
import dev.kiln.registry.retag.Retagger;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** The registry-service: the {@code kiln.registry.v1.Registry} gRPC server. */
public final class RegistryService implements AutoCloseable {

  /**
   * @param grpcAddress where the gRPC server listens (port 0 picks a free one)
   * @param insecureHosts registry hosts ({@code host:port}) spoken to over plain HTTP
   * @param credentials sent to every registry with basic auth; empty for anonymous access
   * @param requestTimeout how long one registry request may wait for its response headers
   */
  public record Config(
      InetSocketAddress grpcAddress,
      Set<String> insecureHosts,
      Optional<Credentials> credentials,
      Duration requestTimeout) {

    public static final String DEFAULT_GRPC_ADDR = "127.0.0.1:8491";
    public static final String DEFAULT_INSECURE = "127.0.0.1:5100";

    public Config {
      insecureHosts = Set.copyOf(insecureHosts);
    }

    /** Reads {@code KILN_GRPC_ADDR}, {@code KILN_REGISTRY_INSECURE}, {@code KILN_REGISTRY_*}. */
    public static Config fromEnvironment(Map<String, String> env) {
      return ConfigParser.parse(env);
    }
  }

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final Config config;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private Server server;

  public RegistryService(Config config) {
    this.config = config;
  }

  public synchronized void start() {
    RegistryAuthenticator authenticator =
        config
            .credentials()
            .<RegistryAuthenticator>map(BasicAuthenticator::new)
            .orElseGet(RegistryAuthenticator::anonymous);
    RegistryTransport transport =
        new RegistryTransport(
            RegistryTransport.defaultHttpClient(Duration.ofSeconds(10)),
            config.insecureHosts(),
            authenticator,
            config.requestTimeout());
    OciClient manifests = new OciClient(transport);
    Retagger retagger = new Retagger(manifests, new BlobClient(transport));

    // registry calls block on HTTP; a virtual thread per call keeps that cheap
    server =
        NettyServerBuilder.forAddress(config.grpcAddress())
            .executor(executor)
            .addService(new RegistryGrpcService(manifests, retagger))
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
  }

  /** The port the gRPC server listens on (useful when configured with port 0). */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the registry-service is not started; call start() first");
    }
    return server.getPort();
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
