package dev.kiln.worker.testing;

import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildProgress;
import dev.kiln.worker.build.EventPublisher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the worker publishes. */
public final class RecordingPublisher implements EventPublisher {
  private final List<BuildProgress> progress = new CopyOnWriteArrayList<>();
  private final List<BuildCompleted> completions = new CopyOnWriteArrayList<>();

  @Override
  public void progress(BuildProgress update) {
    progress.add(update);
  }

  @Override
  public CompletableFuture<Void> completed(BuildCompleted completion) {
    completions.add(completion);
    return CompletableFuture.completedFuture(null);
  }

  public List<BuildProgress> progress() {
    return List.copyOf(progress);
  }

  public List<BuildProgress> progressOf(String requestId) {
    return progress.stream().filter(p -> p.getRequestId().equals(requestId)).toList();
  }

  public List<BuildCompleted> completions() {
    return List.copyOf(completions);
  }
}
