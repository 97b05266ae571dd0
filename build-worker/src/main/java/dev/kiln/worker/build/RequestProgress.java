package dev.kiln.worker.build;

import com.google.protobuf.ByteString;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.BuildStarted;
import dev.kiln.events.v1.LogLine;
import dev.kiln.events.v1.TaskDone;
import dev.kiln.events.v1.VertexUpdate;
import dev.kiln.worker.buildkit.BuildKitProgress;
import dev.kiln.worker.buildkit.ProgressListener;
import java.time.Instant;

/**
 * The progress stream of one build request: numbers its updates from 1 and turns BuildKit's updates
 * into {@code build.progress} events. Synchronized, so updates from the solve's gRPC thread and the
 * worker's own messages keep one order.
 */
final class RequestProgress implements ProgressListener {
  private final String requestId;
  private final EventPublisher publisher;
  private long seq; // guarded by this

  RequestProgress(String requestId, EventPublisher publisher) {
    this.requestId = requestId;
    this.publisher = publisher;
  }

  synchronized void started(String builder) {
    send(BuildProgress.newBuilder().setStarted(BuildStarted.newBuilder().setBuilder(builder)));
  }

  synchronized void message(String text) {
    send(BuildProgress.newBuilder().setMessage(text));
  }

  @Override
  public synchronized void onProgress(BuildKitProgress progress) {
    switch (progress) {
      case BuildKitProgress.VertexChanged v ->
          send(
              BuildProgress.newBuilder()
                  .setVertex(
                      VertexUpdate.newBuilder()
                          .setDigest(v.digest())
                          .setName(v.name())
                          .setCached(v.cached())
                          .setStartedMillis(millis(v.started()))
                          .setCompletedMillis(millis(v.completed()))
                          .setError(v.error())));
      case BuildKitProgress.Log l ->
          send(
              BuildProgress.newBuilder()
                  .setLog(
                      LogLine.newBuilder()
                          .setVertex(l.vertex())
                          .setStream(l.stream())
                          .setData(ByteString.copyFrom(l.data()))));
      case BuildKitProgress.TaskDone t ->
          send(
              BuildProgress.newBuilder()
                  .setTask(TaskDone.newBuilder().setVertex(t.vertex()).setName(t.name())));
      case BuildKitProgress.Warning w ->
          send(BuildProgress.newBuilder().setMessage("warning: " + w.text()));
    }
  }

  /** Updates published so far; the completion carries it so the gateway can wait for them. */
  synchronized long count() {
    return seq;
  }

  private void send(BuildProgress.Builder update) {
    publisher.progress(update.setRequestId(requestId).setSeq(++seq).build());
  }

  private static long millis(Instant instant) {
    return instant == null ? 0 : instant.toEpochMilli();
  }
}
