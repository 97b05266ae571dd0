package dev.kiln.worker.testing;

import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.ExistsResponse;
import dev.kiln.registry.v1.RegistryGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-process registry-service whose images and failures the test sets. */
public final class FakeRegistry extends RegistryGrpc.RegistryImplBase implements AutoCloseable {
  private final Map<String, String> images = new ConcurrentHashMap<>();
  private final Queue<Status> failures = new ConcurrentLinkedQueue<>();
  private final List<String> existsCalls = new CopyOnWriteArrayList<>();
  private final Server server;
  private final ManagedChannel channel;

  public FakeRegistry() {
    String name = "fake-registry-" + UUID.randomUUID();
    try {
      server =
          InProcessServerBuilder.forName(name).directExecutor().addService(this).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  public ManagedChannel channel() {
    return channel;
  }

  public FakeRegistry withImage(String reference, String digest) {
    images.put(reference, digest);
    return this;
  }

  /** The next Exists calls fail with these statuses, in order. */
  public FakeRegistry failingWith(Status... statuses) {
    failures.addAll(List.of(statuses));
    return this;
  }

  public List<String> existsCalls() {
    return List.copyOf(existsCalls);
  }

  @Override
  public void exists(ExistsRequest request, StreamObserver<ExistsResponse> response) {
    existsCalls.add(request.getReference());
    Status failure = failures.poll();
    if (failure != null) {
      response.onError(failure.asRuntimeException());
      return;
    }
    String digest = images.get(request.getReference());
    response.onNext(
        digest == null
            ? ExistsResponse.newBuilder().setExists(false).build()
            : ExistsResponse.newBuilder()
                .setExists(true)
                .setDigest(digest)
                .setMediaType("application/vnd.oci.image.manifest.v1+json")
                .build());
    response.onCompleted();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
  }
}
