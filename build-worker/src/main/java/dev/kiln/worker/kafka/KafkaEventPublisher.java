package dev.kiln.worker.kafka;

import com.google.protobuf.Message;
import dev.kiln.events.Topics;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.worker.build.Backoff;
import dev.kiln.worker.build.EventPublisher;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes progress (key = request id) and completions (key = "namespace/image") through one
 * idempotent producer. A completion is re-sent until the broker acknowledges it, because the offset
 * of its request is committed only afterwards; closing stops the retries and fails the pending
 * futures.
 */
public final class KafkaEventPublisher implements EventPublisher, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KafkaEventPublisher.class);

  private final Producer<String, Message> producer;
  private final Backoff backoff;
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("kiln-worker-publish-retry").unstarted(r));
  private volatile boolean closed;

  /**
   * @param backoff pauses between re-sends of a completion; its attempt count is ignored (a
   *     completion is re-sent until acknowledged or closed)
   */
  public KafkaEventPublisher(Producer<String, Message> producer, Backoff backoff) {
    this.producer = producer;
    this.backoff = backoff;
  }

  @Override
  public void progress(BuildProgress progress) {
    if (closed) {
      return;
    }
    producer.send(
        new ProducerRecord<>(Topics.BUILD_PROGRESS, progress.getRequestId(), progress),
        (metadata, error) -> {
          if (error != null) {
            log.warn(
                "tried to publish progress {} of request {} but failed: {}",
                progress.getSeq(),
                progress.getRequestId(),
                error.toString());
          }
        });
  }

  @Override
  public CompletableFuture<Void> completed(BuildCompleted completion) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    send(completion, 1, acked);
    return acked;
  }

  private void send(BuildCompleted completion, int attempt, CompletableFuture<Void> acked) {
    if (closed) {
      acked.completeExceptionally(
          new IllegalStateException(
              "the worker is closing; the completion of request "
                  + completion.getRequestId()
                  + " was not acknowledged and its event will be processed again"));
      return;
    }
    String key = completion.getNamespace() + "/" + completion.getImage();
    producer.send(
        new ProducerRecord<>(Topics.BUILD_COMPLETED, key, completion),
        (metadata, error) -> {
          if (error == null) {
            acked.complete(null);
            return;
          }
          Duration pause = backoff.pauseAfter(attempt);
          log.warn(
              "tried to publish the completion of request {} but failed ({}); trying again in {}",
              completion.getRequestId(),
              error.toString(),
              pause);
          try {
            retries.schedule(
                () -> send(completion, attempt + 1, acked),
                pause.toMillis(),
                TimeUnit.MILLISECONDS);
          } catch (RuntimeException rejected) {
            acked.completeExceptionally(error);
          }
        });
  }

  /** Stops re-sending; the producer is closed by its owner. */
  @Override
  public void close() {
    closed = true;
    retries.shutdownNow();
  }
}
