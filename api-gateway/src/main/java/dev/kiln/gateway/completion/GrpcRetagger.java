package dev.kiln.gateway.completion;

import dev.kiln.registry.v1.RegistryGrpc;
import dev.kiln.registry.v1.RetagRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Retags through the registry-service's gRPC API, one deadline per call. */
public final class GrpcRetagger implements Retagger {
  private static final Set<Status.Code> RETRYABLE =
      EnumSet.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED,
          Status.Code.INTERNAL,
          Status.Code.UNKNOWN);

  private final ManagedChannel channel;
  private final RegistryGrpc.RegistryBlockingStub stub;
  private final String address;
  private final Duration deadline;

  /** {@code address} is {@code host:port} of the registry-service (plaintext, loopback). */
  public GrpcRetagger(String address, Duration deadline) {
    this.address = address;
    this.deadline = deadline;
    this.channel = NettyChannelBuilder.forTarget(address).usePlaintext().build();
    this.stub = RegistryGrpc.newBlockingStub(channel);
  }

  @Override
  public String retag(String source, String target, String expectedDigest) {
    RetagRequest request =
        RetagRequest.newBuilder()
            .setSource(source)
            .setTarget(target)
            .setExpectedDigest(expectedDigest)
            .build();
    try {
      return stub.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .retag(request)
          .getDigest();
    } catch (StatusRuntimeException e) {
      Status status = e.getStatus();
      throw new RetagException(
          "the registry-service at "
              + address
              + " answered "
              + status.getCode()
              + (status.getDescription() == null ? "" : ": " + status.getDescription()),
          RETRYABLE.contains(status.getCode()),
          e);
    }
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
