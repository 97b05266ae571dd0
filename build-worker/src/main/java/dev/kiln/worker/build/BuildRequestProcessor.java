package dev.kiln.worker.build;

import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.events.v1.BuildArg;
import dev.kiln.events.v1.BuildCompleted;
import dev.kiln.events.v1.BuildHashed;
import dev.kiln.events.v1.BuildParams;
import dev.kiln.events.v1.BuildRequested;
import dev.kiln.events.v1.SecretRef;
import dev.kiln.worker.buildkit.SolveResult;
import dev.kiln.worker.buildkit.SolveSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles one {@code build.hashed} event from start to completion: looks the cache tag up, decides
 * (see {@link BuildFacts}), skips, asks for the context or builds, and publishes the completion.
 *
 * <p>Requests for the same cache tag share one solve ({@link SingleFlight}). Every request
 * completed from a running solve is reported as BUILT, also those that attached to a solve another
 * request started: the image was built while they waited, and a user who disabled Smart Builds must
 * not be told that a build was skipped. A request that may skip and arrives just after such a solve
 * ended reuses its result as SKIPPED: the image already existed when it got here.
 */
public final class BuildRequestProcessor {
  private static final Logger log = LoggerFactory.getLogger(BuildRequestProcessor.class);
  // covers a lookup that missed just before another request's push landed
  private static final Duration KEEP_LANDED = Duration.ofMinutes(1);

  private final CacheLookup lookup;
  private final SolveRunner solves;
  private final EventPublisher publisher;
  private final ContextLinks contextLinks;
  private final Executor solveExecutor;
  private final Clock clock;
  private final SingleFlight flights;

  /**
   * @param solveExecutor runs solves; its size bounds how many run at once
   */
  public BuildRequestProcessor(
      CacheLookup lookup,
      SolveRunner solves,
      EventPublisher publisher,
      ContextLinks contextLinks,
      Executor solveExecutor,
      Clock clock) {
    this.lookup = lookup;
    this.solves = solves;
    this.publisher = publisher;
    this.contextLinks = contextLinks;
    this.solveExecutor = solveExecutor;
    this.clock = clock;
    this.flights = new SingleFlight(clock, KEEP_LANDED);
  }

  /**
   * Processes {@code event}; the future completes once its completion was acknowledged by Kafka.
   * Lookups run on the calling thread, solves on the solve executor.
   */
  public CompletableFuture<Void> process(BuildHashed event) {
    BuildRequested request = event.getRequest();
    RequestProgress progress = new RequestProgress(request.getRequestId(), publisher);
    CompletableFuture<BuildCompleted> completion;
    Completions completions = new Completions(request, event.getHash(), "", clock);
    try {
      ImageRef cacheRef = cacheRef(event);
      completions = new Completions(request, event.getHash(), cacheRef.toString(), clock);
      completion = decide(event, cacheRef, progress, completions);
    } catch (RuntimeException e) {
      completion = CompletableFuture.completedFuture(completions.failed(reason(e)));
    }
    Completions fallback = completions;
    return completion
        .exceptionally(e -> fallback.failed(reason(e)))
        .thenCompose(
            done -> {
              // one line per request: what an operator greps for (skips, joins, failures)
              log.info(
                  "request {} hash {}: {} {}",
                  done.getRequestId(),
                  done.getHash(),
                  done.getOutcome(),
                  done.getDigest().isEmpty() ? done.getError() : done.getDigest());
              return publisher.completed(
                  done.toBuilder().setProgressCount(progress.count()).build());
            });
  }

  /** BuildKit solves started so far. */
  public long solveCount() {
    return solves.count();
  }

  private CompletableFuture<BuildCompleted> decide(
      BuildHashed event, ImageRef cacheRef, RequestProgress progress, Completions completions) {
    BuildFacts facts = BuildFacts.of(event);
    Optional<Digest> cached = facts.skipAllowed() ? lookup.find(cacheRef) : Optional.empty();
    return switch (facts.decide(cached.isPresent())) {
      case SKIP -> {
        progress.message("found " + cacheRef + " (" + cached.get() + ") in the cache");
        yield CompletableFuture.completedFuture(completions.skipped(cached.get()));
      }
      case NEEDS_CONTEXT -> CompletableFuture.completedFuture(completions.needsContext());
      case BUILD -> build(event.getRequest(), facts.skipAllowed(), cacheRef, progress, completions);
    };
  }

  private CompletableFuture<BuildCompleted> build(
      BuildRequested request,
      boolean skipAllowed,
      ImageRef cacheRef,
      RequestProgress progress,
      Completions completions) {
    BuildParams params = request.getParams();
    if (params.getSecretsCount() > 0) {
      return CompletableFuture.completedFuture(
          completions.failed(
              "tried to build "
                  + cacheRef
                  + " but the build uses secrets ("
                  + params.getSecretsList().stream()
                      .map(SecretRef::getId)
                      .collect(Collectors.joining(", "))
                  + ") and remote builds with secrets are not supported yet;"
                  + " remove the secrets from the image's build section"));
    }
    if (!request.getContext().hasTarDigest()) {
      return CompletableFuture.completedFuture(
          completions.failed(
              "tried to build "
                  + cacheRef
                  + " from a git context but the worker builds only uploaded contexts so far;"
                  + " build from a local directory instead"));
    }
    SolveSpec spec = spec(request, params, cacheRef);

    String key = cacheRef + (params.getNoCache() ? " no-cache" : "");
    SingleFlight.Membership membership = flights.join(key, skipAllowed);
    if (membership.landed() != null) {
      Digest digest = Digest.parse(membership.landed().imageDigest());
      progress.message("found " + cacheRef + " (" + digest + ") just built for another request");
      return CompletableFuture.completedFuture(completions.skipped(digest));
    }
    progress.started(solves.builder());
    membership.flight().listen(progress);
    if (membership.leader()) {
      try {
        solveExecutor.execute(() -> lead(key, membership.flight(), spec));
      } catch (RejectedExecutionException e) {
        // the worker is stopping; the failure is not published (the publisher is closed first)
        flights.land(key, membership.flight(), null, e);
      }
    } else {
      progress.message("joined the build of " + cacheRef + " that another request started");
    }
    return membership
        .flight()
        .result()
        .handle(
            (result, error) ->
                error == null
                    ? completions.built(Digest.parse(result.imageDigest()))
                    : completions.failed(reason(error)));
  }

  private void lead(String key, SingleFlight.Flight flight, SolveSpec spec) {
    SolveResult result = null;
    Throwable error = null;
    try {
      result = solves.run(spec, flight);
      Digest.parse(result.imageDigest());
    } catch (RuntimeException e) {
      error = e;
    }
    flights.land(key, flight, result, error);
  }

  private SolveSpec spec(BuildRequested request, BuildParams params, ImageRef cacheRef) {
    TreeMap<String, String> args = new TreeMap<>();
    for (BuildArg arg : params.getArgsList()) {
      args.put(arg.getName(), arg.getValue());
    }
    String contextUrl = contextLinks.forContext(Digest.parse(request.getContext().getTarDigest()));
    return new SolveSpec(
        contextUrl,
        params.getDockerfile().isEmpty() ? "Dockerfile" : params.getDockerfile(),
        params.getTarget(),
        args,
        params.getPlatformsList(),
        params.getNoCache(),
        cacheRef.toString());
  }

  /** {@code <registry>/<cache-ns>/<image>:<hash>}; throws when the event cannot name one. */
  static ImageRef cacheRef(BuildHashed event) {
    BuildRequested request = event.getRequest();
    BuildHash hash = BuildHash.parse(event.getHash());
    return ImageRef.of(
        request.getRegistry(),
        request.getCacheNamespace() + "/" + request.getImage(),
        hash.toString());
  }

  private static String reason(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    String message = cause.getMessage();
    if (cause instanceof dev.kiln.core.KilnException
        || cause instanceof dev.kiln.worker.buildkit.BuildKitException) {
      return message;
    }
    log.warn("unexpected failure while processing a build request", cause);
    return "the build worker failed unexpectedly ("
        + cause
        + "); build again, and report it if it keeps happening";
  }
}
