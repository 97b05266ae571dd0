package dev.kiln.cli.sse;

/**
 * One dispatched Server-Sent Event.
 *
 * @param id the last event id in force when the event was dispatched, or null when none was set
 * @param type the {@code event:} field, "message" when absent
 * @param data the {@code data:} lines joined with '\n'
 */
public record SseEvent(String id, String type, String data) {}
