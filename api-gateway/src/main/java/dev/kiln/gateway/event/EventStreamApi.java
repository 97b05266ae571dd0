package dev.kiln.gateway.event;

import dev.kiln.gateway.build.BuildApi;
import dev.kiln.gateway.build.BuildRecord;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.build.BuildService;
import dev.kiln.gateway.build.BuildState;
import dev.kiln.gateway.http.Access;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.http.Call;
import dev.kiln.gateway.http.Json;
import dev.kiln.gateway.http.Router;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /v1/builds/{id}/events}: Server-Sent Events replayed from the build's event log (all
 * of it, or after {@code Last-Event-ID}), then tailed by polling the table, so a client sees events
 * written by any gateway replica. The stream ends after a state that ends it when that state is the
 * build's latest event.
 */
public final class EventStreamApi {
  private static final int BATCH = 500;

  private final BuildService builds;
  private final BuildRepository repository;
  private final BuildEventRepository events;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration heartbeatInterval;
  private final BooleanSupplier running;

  public EventStreamApi(
      BuildService builds,
      BuildRepository repository,
      BuildEventRepository events,
      Clock clock,
      Duration pollInterval,
      Duration heartbeatInterval,
      BooleanSupplier running) {
    this.builds = builds;
    this.repository = repository;
    this.events = events;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.heartbeatInterval = heartbeatInterval;
    this.running = running;
  }

  public void register(Router router) {
    router.route("GET", "/v1/builds/{id}/events", Access.TOKEN, this::stream);
  }

  private void stream(Call call) throws IOException {
    UUID id = BuildApi.buildId(call);
    builds.owned(id, call.principal());
    long afterSeq = lastEventId(call);

    var headers = call.exchange().getResponseHeaders();
    headers.set("Content-Type", "text/event-stream; charset=utf-8");
    headers.set("Cache-Control", "no-cache");
    headers.set("X-Accel-Buffering", "no");
    call.sendHeaders(200, 0);
    try (OutputStream out = call.exchange().getResponseBody()) {
      tail(id, afterSeq, out);
    }
  }

  private void tail(UUID id, long afterSeq, OutputStream out) throws IOException {
    Instant lastWrite = clock.instant();
    while (running.getAsBoolean()) {
      List<BuildEvent> batch = events.after(id, afterSeq, BATCH);
      for (BuildEvent event : batch) {
        write(out, event);
        afterSeq = event.seq();
      }
      if (!batch.isEmpty()) {
        lastWrite = clock.instant();
        out.flush();
        // A replay passes states that once ended the stream (NEEDS_CONTEXT before an upload
        // that failed the build): only the latest event may end it.
        if (endsStream(batch.getLast()) && events.after(id, afterSeq, 1).isEmpty()) {
          return;
        }
        continue;
      }
      // Nothing new: a client resuming after the final event must not wait forever.
      BuildRecord build = repository.find(id).orElseThrow();
      if (build.state().endsStream() && events.after(id, afterSeq, 1).isEmpty()) {
        return;
      }
      if (Duration.between(lastWrite, clock.instant()).compareTo(heartbeatInterval) >= 0) {
        out.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
        lastWrite = clock.instant();
        out.flush();
      }
      pause();
    }
  }

  private static void write(OutputStream out, BuildEvent event) throws IOException {
    String frame =
        "id: "
            + event.seq()
            + "\nevent: "
            + event.kind()
            + "\ndata: "
            + event.payloadJson()
            + "\n\n";
    out.write(frame.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean endsStream(BuildEvent event) {
    if (!BuildEvent.STATE.equals(event.kind())) {
      return false;
    }
    try {
      String state = Json.MAPPER.readTree(event.payloadJson()).path("state").asText("");
      return BuildState.valueOf(state).endsStream();
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private void pause() throws IOException {
    try {
      Thread.sleep(pollInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("event stream interrupted", e);
    }
  }

  private static long lastEventId(Call call) {
    String value = call.header("Last-Event-ID").or(() -> call.query("after")).orElse("0").trim();
    try {
      long seq = Long.parseLong(value.isEmpty() ? "0" : value);
      if (seq < 0) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(
          "Last-Event-ID '" + value + "' is not an event id; send the id: of the last event seen");
    }
  }
}
