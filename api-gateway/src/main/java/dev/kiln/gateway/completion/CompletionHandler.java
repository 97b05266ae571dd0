package dev.kiln.gateway.completion;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.gateway.build.BuildOutcome;
import dev.kiln.gateway.build.BuildRecord;
import dev.kiln.gateway.build.BuildRepository;
import dev.kiln.gateway.build.BuildState;
import dev.kiln.gateway.http.Json;
import dev.kiln.gateway.progress.ProgressHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tag updater: {@code build.completed} → build state, and for BUILT/SKIPPED the compare-and-set
 * of {@code last_builds} followed by the namespace retag. Idempotent: a replayed completion retags
 * again (harmless) but appends no second final event.
 */
public final class CompletionHandler {
  private static final Logger log = LoggerFactory.getLogger(CompletionHandler.class);

  private final BuildRepository builds;
  private final RetryingRetagger retagger;
  private final Clock clock;
  private final ProgressBarrier progress;

  public CompletionHandler(
      BuildRepository builds, RetryingRetagger retagger, Clock clock, ProgressBarrier progress) {
    this.builds = builds;
    this.retagger = retagger;
    this.clock = clock;
    this.progress = progress;
  }

  public void handle(BuildCompleted completed) {
    Optional<BuildRecord> found = build(completed.getRequestId());
    if (found.isEmpty()) {
      log.warn(
          "ignoring completion of unknown build '{}' ({}/{})",
          completed.getRequestId(),
          completed.getNamespace(),
          completed.getImage());
      return;
    }
    BuildRecord build = found.get();
    progress.await(build.id(), completed.getProgressCount());
    switch (completed.getOutcome()) {
      case NEEDS_CONTEXT -> needsContext(build, completed);
      case FAILED -> failed(build.id(), reason(completed));
      case BUILT, SKIPPED -> succeeded(build, completed);
      default ->
          log.warn(
              "ignoring completion of build {} with outcome {}",
              build.id(),
              completed.getOutcome());
    }
  }

  private void needsContext(BuildRecord build, BuildCompleted completed) {
    BuildHash hash = hashOrNull(completed.getHash());
    // A context attached meanwhile makes this answer stale: the request is already re-sent.
    builds.change(
        build.id(),
        current ->
            current.state() == BuildState.QUEUED && current.contextDigest() == null
                ? Optional.of(
                    current.withStatus(
                        current.status().needsContext(hash == null ? current.clientHash() : hash),
                        clock.instant()))
                : Optional.empty());
  }

  private void failed(UUID id, String reason) {
    builds.change(
        id,
        current ->
            current.state().isFinal()
                ? Optional.empty()
                : Optional.of(
                    current.withStatus(current.status().failed(reason), clock.instant())));
  }

  private void succeeded(BuildRecord build, BuildCompleted completed) {
    if (build.state() == BuildState.FAILED) {
      log.debug("ignoring {} completion of failed build {}", completed.getOutcome(), build.id());
      return;
    }
    Digest digest;
    BuildHash hash;
    try {
      digest = Digest.parse(completed.getDigest());
      hash = BuildHash.parse(completed.getHash());
    } catch (InvalidInputException e) {
      failed(
          build.id(),
          "the build worker reported an unusable result ("
              + e.getMessage()
              + "); run the build again and report it if it persists");
      return;
    }
    String cacheRef =
        completed.getCacheRef().isEmpty()
            ? build.cacheRepository() + ":" + hash.hex()
            : completed.getCacheRef();
    String source = cacheRef + "@" + digest;
    Instant now = clock.instant();

    boolean recorded;
    try {
      recorded =
          builds
              .jdbi()
              .inTransaction(
                  h -> {
                    // The last_builds row stays locked until the retag is done, so two
                    // completions of one tag can never retag out of order.
                    boolean claimed = LastBuildRepository.claim(h, build, digest, hash, now);
                    if (claimed) {
                      retagger.retag(source, build.imageRef(), digest.toString());
                    }
                    return claimed;
                  });
    } catch (RetagException e) {
      log.warn(
          "build {}: retag {} -> {} failed: {}",
          build.id(),
          source,
          build.imageRef(),
          e.getMessage());
      failed(
          build.id(),
          "tried to point "
              + build.imageRef()
              + " at "
              + source
              + " but failed: "
              + Json.storable(e.getMessage())
              + "; check the registry and run the build again");
      return;
    }

    BuildOutcome outcome =
        completed.getOutcome() == dev.kiln.events.v1.Outcome.SKIPPED
            ? BuildOutcome.SKIPPED
            : BuildOutcome.BUILT;
    String note =
        recorded
            ? null
            : "the tag "
                + build.imageRef()
                + " already points at a newer build of this namespace; it was not moved";
    builds.change(
        build.id(),
        current ->
            current.state().isFinal()
                ? Optional.empty()
                : Optional.of(
                    current.withStatus(
                        current.status().succeeded(outcome, hash, digest, cacheRef, note),
                        clock.instant())),
        note == null ? null : Json.writeString(ProgressHandler.message(note)));
    log.debug("build {} {} as {} (tag moved: {})", build.id(), outcome, digest, recorded);
  }

  private Optional<BuildRecord> build(String requestId) {
    try {
      return builds.find(UUID.fromString(requestId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String reason(BuildCompleted completed) {
    String error = Json.storable(completed.getError());
    return error.isBlank()
        ? "the build failed without a reason from the worker; check the worker's log"
        : error;
  }

  private static BuildHash hashOrNull(String hex) {
    try {
      return hex.isEmpty() ? null : BuildHash.parse(hex);
    } catch (InvalidInputException e) {
      return null;
    }
  }
}
