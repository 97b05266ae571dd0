package dev.kiln.gateway.build;

/** Where a build request is; the SSE stream ends after the ones that wait for the client or end. */
public enum BuildState {
  QUEUED,
  NEEDS_CONTEXT,
  BUILDING,
  SUCCEEDED,
  FAILED;

  /** True for states nothing moves out of. */
  public boolean isFinal() {
    return this == SUCCEEDED || this == FAILED;
  }

  /** True for states after which the event stream closes: final, or waiting for an upload. */
  public boolean endsStream() {
    return isFinal() || this == NEEDS_CONTEXT;
  }
}
