package dev.kiln.worker.build;

import dev.kiln.core.image.Digest;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.Outcome;
import java.time.Clock;

/** Builds the {@code build.completed} events of one request. */
final class Completions {
  private final BuildRequested request;
  private final String hash;
  private final String cacheRef;
  private final Clock clock;

  /**
   * @param hash the hash the outcome is for, as received
   * @param cacheRef full cache reference; empty when the request was too broken to name one
   */
  Completions(BuildRequested request, String hash, String cacheRef, Clock clock) {
    this.request = request;
    this.hash = hash;
    this.cacheRef = cacheRef;
    this.clock = clock;
  }

  BuildCompleted skipped(Digest digest) {
    return base(Outcome.SKIPPED).setDigest(digest.toString()).build();
  }

  BuildCompleted built(Digest digest) {
    return base(Outcome.BUILT).setDigest(digest.toString()).build();
  }

  BuildCompleted needsContext() {
    return base(Outcome.NEEDS_CONTEXT).build();
  }

  BuildCompleted failed(String reason) {
    return base(Outcome.FAILED).setError(reason).build();
  }

  private BuildCompleted.Builder base(Outcome outcome) {
    return BuildCompleted.newBuilder()
        .setRequestId(request.getRequestId())
        .setOrg(request.getOrg())
        .setNamespace(request.getNamespace())
        .setImage(request.getImage())
        .setTag(request.getTag())
        .setSequence(request.getSequence())
        .setOutcome(outcome)
        .setHash(hash)
        .setCacheRef(cacheRef)
        .setRegistry(request.getRegistry())
        .setCompletedAtMillis(clock.millis());
  }
}
