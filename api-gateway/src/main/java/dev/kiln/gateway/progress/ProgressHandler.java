package dev.kiln.gateway.progress;

import dev.kiln.events.v1.BuildProgress;
import dev.kiln.events.v1.LogLine;
import dev.kiln.events.v1.TaskDone;
import dev.kiln.events.v1.VertexUpdate;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.build.BuildState;
import dev.kiln.gateway.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code build.progress} → the build's event log: vertex, log and message updates become {@code
 * progress} events; {@code started} moves a queued build to BUILDING.
 */
public final class ProgressHandler {
  private static final Logger log = LoggerFactory.getLogger(ProgressHandler.class);

  private final BuildRepository builds;
  private final Clock clock;

  public ProgressHandler(BuildRepository builds, Clock clock) {
    this.builds = builds;
    this.clock = clock;
  }

  /**
   * Stores one update. {@code source} identifies the Kafka record, so a redelivered record is not
   * stored twice.
   */
  public void handle(BuildProgress progress, String source) {
    UUID id;
    try {
      id = UUID.fromString(progress.getRequestId());
    } catch (IllegalArgumentException e) {
      log.warn(
          "ignoring progress {} for request id '{}': not a UUID", source, progress.getRequestId());
      return;
    }
    Instant now = clock.instant();
    switch (progress.getUpdateCase()) {
      case VERTEX -> append(id, vertex(progress.getVertex()), source, now);
      case LOG -> append(id, log(progress.getLog()), source, now);
      case MESSAGE -> append(id, message(progress.getMessage()), source, now);
      case TASK -> append(id, task(progress.getTask()), source, now);
      case STARTED -> started(id, progress.getStarted().getBuilder(), now);
      case UPDATE_NOT_SET -> log.debug("ignoring empty progress {} of build {}", source, id);
    }
    if (progress.getSeq() > 0) {
      builds.noteProgress(id, progress.getSeq());
    }
  }

  private void append(UUID id, Map<String, Object> payload, String source, Instant now) {
    if (!builds.appendProgress(id, Json.writeString(payload), source, now)) {
      log.debug("progress {} of build {} not stored: unknown build or redelivery", source, id);
    }
  }

  private void started(UUID id, String builder, Instant now) {
    builds.change(
        id,
        build ->
            build.state() == BuildState.QUEUED
                ? Optional.of(
                    build.withStatus(
                        build
                            .status()
                            .withState(BuildState.BUILDING)
                            .withBuilder(Json.storable(builder)),
                        now))
                : Optional.empty());
  }

  private static Map<String, Object> vertex(VertexUpdate vertex) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "vertex");
    payload.put("digest", vertex.getDigest());
    payload.put("name", Json.storable(vertex.getName()));
    payload.put("cached", vertex.getCached());
    payload.put("started", millisOrNull(vertex.getStartedMillis()));
    payload.put("completed", millisOrNull(vertex.getCompletedMillis()));
    payload.put("error", vertex.getError().isEmpty() ? null : Json.storable(vertex.getError()));
    return payload;
  }

  private static Map<String, Object> log(LogLine line) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "log");
    payload.put("vertex", line.getVertex());
    payload.put("stream", line.getStream());
    payload.put("text", Json.storable(line.getData().toString(StandardCharsets.UTF_8)));
    return payload;
  }

  private static Map<String, Object> task(TaskDone task) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "task");
    payload.put("vertex", task.getVertex());
    payload.put("name", Json.storable(task.getName()));
    return payload;
  }

  /** A {@code {"type":"message"}} progress payload. */
  public static Map<String, Object> message(String text) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "message");
    payload.put("text", Json.storable(text));
    return payload;
  }

  /** Epoch milliseconds, or null for 0 ("not yet"). */
  private static Long millisOrNull(long millis) {
    return millis == 0 ? null : millis;
  }
}
