package dev.kiln.cli.sse;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} into events, following the WHATWG HTML "event
 * stream interpretation" rules (section 9.2.6): comments start with ':', one space after the colon
 * is dropped, data lines join with '\n', an empty line dispatches, and an event without data is not
 * dispatched though its id still counts. Not thread-safe: one parser per connection.
 */
public final class SseParser {
  private final StringBuilder data = new StringBuilder();
  private boolean hasData;
  private String eventType = "";
  private String lastEventId;

  /**
   * @param lastEventId the id to resume from (kept when the stream sets none), or null
   */
  public SseParser(String lastEventId) {
    this.lastEventId = lastEventId;
  }

  /** Feeds one line without its terminator; returns the event an empty line dispatches. */
  public Optional<SseEvent> line(String line) {
    if (line.isEmpty()) {
      return dispatch();
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        // the spec ignores ids containing NUL, which could not be sent back in a header
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      default -> {
        // "retry" and unknown fields change nothing kiln relies on
      }
    }
    return Optional.empty();
  }

  /** The id to send as {@code Last-Event-ID} when reconnecting, or null. */
  public String lastEventId() {
    return lastEventId;
  }

  private Optional<SseEvent> dispatch() {
    Optional<SseEvent> event =
        hasData
            ? Optional.of(
                new SseEvent(
                    lastEventId, eventType.isEmpty() ? "message" : eventType, data.toString()))
            : Optional.empty();
    data.setLength(0);
    hasData = false;
    eventType = "";
    return event;
  }
}
