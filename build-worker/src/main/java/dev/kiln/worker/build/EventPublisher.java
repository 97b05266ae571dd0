package dev.kiln.worker.build;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import java.util.concurrent.CompletableFuture;

/** Where the worker's results go: {@code build.progress} and {@code build.completed}. */
public interface EventPublisher {

  /**
   * Sends one progress update without waiting. Updates of one request are delivered in the order of
   * the calls; a lost update is logged, not retried (the completion is what counts).
   */
  void progress(BuildProgress progress);

  /**
   * Sends a completion; the future completes once the broker acknowledged it, and fails only when
   * the publisher is closed first (the record's offset must then stay uncommitted).
   */
  CompletableFuture<Void> completed(BuildCompleted completion);
}
