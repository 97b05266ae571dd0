package dev.kiln.gateway.build;

import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;

/**
 * The parts of a build that change while it runs. Null means "not known yet" for every field but
 * {@code state}.
 *
 * @param cacheRef full reference of the cache image, {@code <registry>/<cache-ns>/<image>:<hash>}
 * @param builder address of the BuildKit daemon that ran the solve
 * @param error why the build failed, saying what to fix
 * @param message a note for a build that succeeded without moving the tag
 */
public record BuildStatus(
    BuildState state,
    BuildOutcome outcome,
    BuildHash hash,
    Digest digest,
    String cacheRef,
    String builder,
    String error,
    String message) {

  public static BuildStatus queued() {
    return new BuildStatus(BuildState.QUEUED, null, null, null, null, null, null, null);
  }

  public BuildStatus withState(BuildState newState) {
    return new BuildStatus(newState, outcome, hash, digest, cacheRef, builder, error, message);
  }

  public BuildStatus withBuilder(String newBuilder) {
    return new BuildStatus(state, outcome, hash, digest, cacheRef, newBuilder, error, message);
  }

  public BuildStatus failed(String reason) {
    return new BuildStatus(
        BuildState.FAILED, BuildOutcome.FAILED, hash, digest, cacheRef, builder, reason, null);
  }

  public BuildStatus needsContext(BuildHash clientHash) {
    return new BuildStatus(
        BuildState.NEEDS_CONTEXT,
        BuildOutcome.NEEDS_CONTEXT,
        clientHash,
        digest,
        cacheRef,
        builder,
        null,
        null);
  }

  public BuildStatus succeeded(
      BuildOutcome newOutcome,
      BuildHash newHash,
      Digest newDigest,
      String newCacheRef,
      String note) {
    return new BuildStatus(
        BuildState.SUCCEEDED, newOutcome, newHash, newDigest, newCacheRef, builder, null, note);
  }
}
