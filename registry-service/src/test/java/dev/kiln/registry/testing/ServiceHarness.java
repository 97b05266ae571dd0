package dev.kiln.registry.testing;

import dev.kiln.registry.RegistryService;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.ResolveRequest;
import dev.kiln.registry.v1.RetagRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A registry-service on a free loopback port and a gRPC channel to it. */
public final class ServiceHarness implements AutoCloseable {

  private final RegistryService service;
  private final ManagedChannel channel;

  public ServiceHarness(RegistryService.Config config, RegistryService.Dependencies dependencies) {
    service = new RegistryService(config, dependencies);
    service.start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", service.port()).usePlaintext().build();
  }

  public ServiceHarness(RegistryService.Config config) {
    this(config, RegistryService.Dependencies.system());
  }

  /** Plain HTTP to {@code hosts}, anonymous, default resilience, 30 s request timeout. */
  public static RegistryService.Config config(String... hosts) {
    return new RegistryService.Config(
        new InetSocketAddress("127.0.0.1", 0),
        Set.of(hosts),
        Optional.empty(),
        Duration.ofSeconds(30));
  }

  public RegistryService service() {
    return service;
  }

  /** A stub whose calls have {@code deadline}. */
  public RegistryGrpc.RegistryBlockingStub stub(Duration deadline) {
    return RegistryGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  public RegistryGrpc.RegistryBlockingStub stub() {
    return stub(Duration.ofSeconds(30));
  }

  public static ExistsRequest exists(String reference) {
    return ExistsRequest.newBuilder().setReference(reference).build();
  }

  public static ResolveRequest resolve(String reference) {
    return ResolveRequest.newBuilder().setReference(reference).build();
  }

  public static RetagRequest retag(String source, String target) {
    return RetagRequest.newBuilder().setSource(source).setTarget(target).build();
  }

  @Override
  public void close() {
    try {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    service.close();
  }
}
