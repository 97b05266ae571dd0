package dev.kiln.cli.sse;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;

/**
 * Receives the lines of one event-stream response and queues the events they make. Cancelling
 * aborts the exchange, which is how a silent stream is given up.
 */
final class SseConnection implements Flow.Subscriber<String> {
  /** What the follower's loop takes from the queue. */
  sealed interface Signal {}

  record Event(SseEvent event) implements Signal {}

  /**
   * The response ended: {@code status} 200 with a null error is a clean end of the stream.
   *
   * @param body the response body when the status was not 200
   */
  record Ended(int status, String body, Throwable error) implements Signal {}

  private final SseParser parser;
  private final BlockingQueue<Signal> queue;
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  SseConnection(String lastEventId, BlockingQueue<Signal> queue) {
    this.parser = new SseParser(lastEventId);
    this.queue = queue;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    if (cancelled) {
      subscription.cancel();
    } else {
      subscription.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(String line) {
    if (!cancelled) {
      parser.line(line).ifPresent(event -> queue.add(new Event(event)));
    }
  }

  @Override
  public void onError(Throwable error) {
    // reported through the response future, which the follower watches
  }

  @Override
  public void onComplete() {
    // a stream that ends without the blank line after its last event dispatches nothing (spec)
  }

  void cancel() {
    cancelled = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }
}
