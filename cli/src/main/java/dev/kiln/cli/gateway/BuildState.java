package dev.kiln.cli.gateway;

/**
 * The data of a {@code state} event. Fields other than {@code state} may be null.
 *
 * @param state QUEUED, NEEDS_CONTEXT, BUILDING, SUCCEEDED or FAILED
 * @param outcome BUILT or SKIPPED once SUCCEEDED
 * @param digest "sha256:..." manifest digest once SUCCEEDED
 * @param cacheRef the cache image reference, {@code <registry>/<cache-ns>/<image>:<hash>}
 * @param builder the BuildKit address building the image (BUILDING)
 * @param error why the build failed (FAILED)
 * @param message a note from the gateway, e.g. that the namespace tag already points at a newer
 *     build and was not moved
 */
public record BuildState(
    String state,
    String outcome,
    String hash,
    String digest,
    String imageRef,
    String cacheRef,
    String builder,
    String error,
    String message) {

  public static final String QUEUED = "QUEUED";
  public static final String NEEDS_CONTEXT = "NEEDS_CONTEXT";
  public static final String BUILDING = "BUILDING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";

  /** Whether the gateway ends the event stream after this state. */
  public boolean endsStream() {
    return NEEDS_CONTEXT.equals(state) || SUCCEEDED.equals(state) || FAILED.equals(state);
  }

  public boolean skipped() {
    return "SKIPPED".equals(outcome);
  }
}
