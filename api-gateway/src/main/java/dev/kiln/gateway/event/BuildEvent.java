package dev.kiln.gateway.event;

import java.util.UUID;

/**
 * One row of a build's event log, as the SSE stream sends it.
 *
 * @param seq position in the gateway-wide event sequence; the SSE {@code id:}
 * @param kind {@code progress} or {@code state}; the SSE {@code event:}
 * @param payloadJson the SSE {@code data:}, one line of JSON
 */
public record BuildEvent(long seq, UUID buildId, String kind, String payloadJson) {
  public static final String PROGRESS = "progress";
  public static final String STATE = "state";
}
