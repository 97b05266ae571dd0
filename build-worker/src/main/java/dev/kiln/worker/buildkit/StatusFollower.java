package dev.kiln.worker.buildkit;

import com.google.protobuf.Timestamp;
import dev.kiln.buildkit.v1.StatusRequest;
import dev.kiln.buildkit.v1.StatusResponse;
import dev.kiln.buildkit.v1.Vertex;
import dev.kiln.buildkit.v1.VertexLog;
import dev.kiln.buildkit.v1.VertexStatus;
import dev.kiln.buildkit.v1.VertexWarning;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one Status stream: turns each response into {@link BuildKitProgress} updates for the
 * listener and remembers the step that failed, so a failure can name it.
 */
final class StatusFollower implements ClientResponseObserver<StatusRequest, StatusResponse> {
  private static final Logger log = LoggerFactory.getLogger(StatusFollower.class);

  private final String ref;
  private final ProgressListener listener;
  private final CountDownLatch ended = new CountDownLatch(1);
  // written by the gRPC thread, read after ended (the latch orders the accesses)
  private volatile String failedStep = "";
  private volatile ClientCallStreamObserver<StatusRequest> call;
  // touched only by gRPC's serialized onNext calls
  private final Set<String> finishedTasks = new HashSet<>();

  StatusFollower(String ref, ProgressListener listener) {
    this.ref = ref;
    this.listener = listener;
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<StatusRequest> requestStream) {
    this.call = requestStream;
  }

  @Override
  public void onNext(StatusResponse response) {
    for (Vertex vertex : response.getVertexesList()) {
      if (!vertex.getError().isEmpty()) {
        failedStep = vertex.getName();
      }
      deliver(
          new BuildKitProgress.VertexChanged(
              vertex.getDigest(),
              vertex.getName(),
              vertex.getCached(),
              instant(vertex.hasStarted(), vertex.getStarted()),
              instant(vertex.hasCompleted(), vertex.getCompleted()),
              vertex.getError()));
    }
    for (VertexStatus status : response.getStatusesList()) {
      // BuildKit repeats a finished task in later updates; report it once
      if (status.hasCompleted() && finishedTasks.add(status.getVertex() + "\n" + status.getId())) {
        deliver(new BuildKitProgress.TaskDone(status.getVertex(), status.getId()));
      }
    }
    for (VertexLog line : response.getLogsList()) {
      deliver(
          new BuildKitProgress.Log(
              line.getVertex(), (int) line.getStream(), line.getMsg().toByteArray()));
    }
    for (VertexWarning warning : response.getWarningsList()) {
      deliver(
          new BuildKitProgress.Warning(
              warning.getVertex(), warning.getShort().toString(StandardCharsets.UTF_8)));
    }
  }

  @Override
  public void onError(Throwable t) {
    // the solve's own outcome is what counts; a status stream that ends early only loses progress
    log.debug("status stream of BuildKit build {} ended with {}", ref, t.toString());
    ended.countDown();
  }

  @Override
  public void onCompleted() {
    ended.countDown();
  }

  /** Waits for the stream to end, then cancels it if it has not. */
  void awaitEnd(Duration timeout) {
    try {
      if (!ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && call != null) {
        call.cancel("the solve has ended", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      if (call != null) {
        call.cancel("interrupted", e);
      }
    }
  }

  /** Name of the last step BuildKit reported as failed; empty if none. */
  String failedStep() {
    return failedStep;
  }

  private void deliver(BuildKitProgress progress) {
    try {
      listener.onProgress(progress);
    } catch (RuntimeException e) {
      log.warn("progress listener of BuildKit build {} failed; progress continues", ref, e);
    }
  }

  private static Instant instant(boolean present, Timestamp ts) {
    return present ? Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos()) : null;
  }
}
