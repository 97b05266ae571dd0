package dev.kiln.gateway.build;

/** The outcome a completion reported (mirrors {@code kiln.events.v1.Outcome}). */
public enum BuildOutcome {
  BUILT,
  SKIPPED,
  FAILED,
  NEEDS_CONTEXT
}
