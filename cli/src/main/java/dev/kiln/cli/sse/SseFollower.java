package dev.kiln.cli.sse;

import dev.kiln.cli.sse.SseConnection.Ended;
import dev.kiln.cli.sse.SseConnection.Signal;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Follows a Server-Sent Events stream until the handler has seen its last event, reconnecting with
 * {@code Last-Event-ID} when the connection drops, and giving up when no event arrives within the
 * idle timeout. Comments (heartbeats) do not count as events.
 */
public final class SseFollower {

  /** Builds the request for a (re)connection resuming after {@code lastEventId} (null: start). */
  public interface Connector {
    HttpRequest request(String lastEventId);
  }

  /** Receives events in order; returns true when that event was the last one wanted. */
  public interface Handler {
    boolean onEvent(SseEvent event);
  }

  /** Makes the exceptions the follower throws, so they speak the caller's language. */
  public interface Failures {
    RuntimeException status(int status, String body);

    RuntimeException transport(IOException error);

    RuntimeException silent(Duration idleTimeout);
  }

  private final HttpClient http;
  private final Clock clock;
  private final Duration idleTimeout;
  private final Reconnects reconnects;

  public SseFollower(HttpClient http, Clock clock, Duration idleTimeout, Reconnects reconnects) {
    this.http = http;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.reconnects = reconnects;
  }

  /** Follows the stream; returns the last event id seen, for a later resume. */
  public String follow(
      Connector connector, String lastEventId, Handler handler, Failures failures) {
    String lastId = lastEventId;
    Instant deadline = clock.instant().plus(idleTimeout);
    int failuresInRow = 0;
    while (true) {
      BlockingQueue<Signal> queue = new LinkedBlockingQueue<>();
      SseConnection connection = open(connector.request(lastId), lastId, queue);
      try {
        while (true) {
          Signal signal = next(queue, deadline, failures);
          if (signal instanceof SseConnection.Event(SseEvent event)) {
            failuresInRow = 0;
            deadline = clock.instant().plus(idleTimeout);
            if (event.id() != null) {
              lastId = event.id();
            }
            if (handler.onEvent(event)) {
              return lastId;
            }
            continue;
          }
          Ended ended = (Ended) signal;
          RuntimeException failure = failure(ended, failures);
          if (failure != null && !(ended.error() != null || ended.status() >= 500)) {
            throw failure;
          }
          failuresInRow = failure == null ? 0 : failuresInRow + 1;
          if (failuresInRow > reconnects.maxFailuresInRow()) {
            throw failure;
          }
          break;
        }
      } finally {
        connection.cancel();
      }
      pause(reconnects.backoff(failuresInRow), deadline, failures);
    }
  }

  private SseConnection open(HttpRequest request, String lastId, BlockingQueue<Signal> queue) {
    SseConnection connection = new SseConnection(lastId, queue);
    BodyHandler<String> handler =
        info ->
            info.statusCode() == 200
                ? BodySubscribers.fromLineSubscriber(
                    connection, ignored -> (String) null, StandardCharsets.UTF_8, null)
                : BodySubscribers.ofString(StandardCharsets.UTF_8);
    http.sendAsync(request, handler)
        .whenComplete(
            (response, error) ->
                queue.add(
                    response == null
                        ? new Ended(0, null, error)
                        : new Ended(response.statusCode(), response.body(), null)));
    return connection;
  }

  private Signal next(BlockingQueue<Signal> queue, Instant deadline, Failures failures) {
    long waitMillis = Duration.between(clock.instant(), deadline).toMillis();
    try {
      Signal signal =
          waitMillis <= 0 ? queue.poll() : queue.poll(waitMillis, TimeUnit.MILLISECONDS);
      if (signal == null) {
        throw failures.silent(idleTimeout);
      }
      return signal;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failures.silent(idleTimeout);
    }
  }

  /** Null for a clean end of the stream, which just means: reconnect and resume. */
  private static RuntimeException failure(Ended ended, Failures failures) {
    if (ended.error() != null) {
      Throwable cause = ended.error();
      if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      IOException io =
          cause instanceof IOException e ? e : new IOException(cause.getMessage(), cause);
      return failures.transport(io);
    }
    if (ended.status() != 200) {
      return failures.status(ended.status(), ended.body());
    }
    return null;
  }

  private void pause(Duration backoff, Instant deadline, Failures failures) {
    if (clock.instant().plus(backoff).isAfter(deadline)) {
      throw failures.silent(idleTimeout);
    }
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failures.silent(idleTimeout);
    }
  }
}
