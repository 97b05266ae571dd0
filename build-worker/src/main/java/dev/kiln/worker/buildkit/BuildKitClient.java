package dev.kiln.worker.buildkit;

import dev.kiln.buildkit.v1.ControlGrpc;
import dev.kiln.buildkit.v1.Exporter;
import dev.kiln.buildkit.v1.SolveRequest;
import dev.kiln.buildkit.v1.SolveResponse;
import dev.kiln.buildkit.v1.StatusRequest;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Drives one BuildKit daemon over its gRPC Control API: a {@code dockerfile.v0} solve whose image
 * exporter pushes the result, with the build's Status stream forwarded to a listener.
 *
 * <p>No client session is opened: the context comes over HTTP, the Dockerfile is read from it, and
 * the registry needs no credentials, so nothing needs to call back into the client.
 */
public final class BuildKitClient implements Solver, AutoCloseable {
  /** Exporter response key of the pushed manifest digest (BuildKit exporter/containerimage). */
  static final String DIGEST_KEY = "containerimage.digest";

  private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
  private static final String REF_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String builder;
  private final ManagedChannel channel;
  private final ControlGrpc.ControlStub asyncStub;
  private final ControlGrpc.ControlBlockingStub blockingStub;
  private final Duration statusDrain;

  /**
   * @param builder address shown to users and in messages
   * @param statusDrain how long to wait, after Solve returned, for the rest of the progress
   */
  public BuildKitClient(String builder, ManagedChannel channel, Duration statusDrain) {
    this.builder = builder;
    this.channel = channel;
    this.asyncStub = ControlGrpc.newStub(channel);
    this.blockingStub = ControlGrpc.newBlockingStub(channel);
    this.statusDrain = statusDrain;
  }

  /** A plaintext connection to the daemon at {@code address}. */
  public static BuildKitClient connect(BuildKitAddress address) {
    ManagedChannel channel =
        NettyChannelBuilder.forTarget(address.grpcTarget())
            .usePlaintext()
            .maxInboundMessageSize(MAX_MESSAGE_BYTES)
            .build();
    return new BuildKitClient(address.toString(), channel, Duration.ofSeconds(10));
  }

  @Override
  public String builder() {
    return builder;
  }

  @Override
  public SolveResult solve(SolveSpec spec, ProgressListener listener, Deadline deadline) {
    String ref = newRef();

    // Status first: the daemon waits a few seconds for the ref to appear, so no update is missed
    StatusFollower status = new StatusFollower(ref, listener);
    asyncStub.withDeadline(deadline).status(StatusRequest.newBuilder().setRef(ref).build(), status);

    SolveResponse response;
    try {
      response = blockingStub.withDeadline(deadline).solve(request(ref, spec));
    } catch (StatusRuntimeException e) {
      status.awaitEnd(statusDrain);
      throw failure(spec, e, status.failedStep());
    }
    status.awaitEnd(statusDrain);

    String digest = response.getExporterResponseMap().get(DIGEST_KEY);
    if (digest == null || digest.isEmpty()) {
      throw new BuildKitException(
          BuildKitException.Kind.BUILD_FAILED,
          "tried to build "
              + spec.pushRef()
              + " with BuildKit at "
              + builder
              + " but the daemon reported no pushed image digest (exporter response: "
              + response.getExporterResponseMap()
              + "); check that the daemon is BuildKit v0.12 or newer",
          null);
    }
    return new SolveResult(ref, digest, response.getExporterResponseMap());
  }

  static SolveRequest request(String ref, SolveSpec spec) {
    return SolveRequest.newBuilder()
        .setRef(ref)
        .setFrontend("dockerfile.v0")
        .putAllFrontendAttrs(spec.frontendAttrs())
        // v0.13+ reads the repeated exporters; the deprecated single exporter is only a fallback
        .addExporters(Exporter.newBuilder().setType("image").putAllAttrs(spec.imageExporterAttrs()))
        .build();
  }

  private BuildKitException failure(SolveSpec spec, StatusRuntimeException e, String failedStep) {
    Status status = e.getStatus();
    String detail =
        status.getDescription() == null ? status.getCode().toString() : status.getDescription();
    String action = "tried to build " + spec.pushRef() + " with BuildKit at " + builder;
    return switch (status.getCode()) {
      case UNAVAILABLE ->
          new BuildKitException(
              BuildKitException.Kind.UNAVAILABLE,
              action
                  + " but could not reach the daemon ("
                  + detail
                  + "); check that buildkitd is running (scripts/stack.sh up) and KILN_BUILDKIT_ADDR",
              e);
      case DEADLINE_EXCEEDED ->
          new BuildKitException(
              BuildKitException.Kind.TIMED_OUT,
              action + " but the build did not finish in time; make the build faster or retry",
              e);
      default ->
          new BuildKitException(
              BuildKitException.Kind.BUILD_FAILED,
              action
                  + " but "
                  + (failedStep.isEmpty() ? "it failed" : "step \"" + failedStep + "\" failed")
                  + ": "
                  + detail
                  + (failedStep.isEmpty()
                      ? "; fix the Dockerfile or its base image and build again"
                      : "; fix that step in the Dockerfile and build again"),
              e);
    };
  }

  /** A fresh build id in the style of BuildKit's own (25 lower-case base-36 characters). */
  static String newRef() {
    StringBuilder ref = new StringBuilder(25);
    for (int i = 0; i < 25; i++) {
      ref.append(REF_ALPHABET.charAt(RANDOM.nextInt(REF_ALPHABET.length())));
    }
    return ref.toString();
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
