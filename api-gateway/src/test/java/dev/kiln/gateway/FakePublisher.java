package dev.kiln.gateway;

import dev.kiln.events.v1.BuildRequested;
import dev.kiln.gateway.kafka.BuildPublisher;
import dev.kiln.gateway.kafka.PublishException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records published requests; {@link #failNext} makes the next publish fail like a dead broker. */
public final class FakePublisher implements BuildPublisher {
  private final List<BuildRequested> published = new CopyOnWriteArrayList<>();
  private volatile boolean failNext;

  @Override
  public void publish(BuildRequested request) {
    if (failNext) {
      failNext = false;
      throw new PublishException(
          "broker unreachable", new org.apache.kafka.common.errors.TimeoutException("no broker"));
    }
    published.add(request);
  }

  public void failNext() {
    failNext = true;
  }

  public List<BuildRequested> published() {
    return published;
  }

  public BuildRequested last() {
    return published.get(published.size() - 1);
  }
}
