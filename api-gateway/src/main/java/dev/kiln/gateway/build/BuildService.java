package dev.kiln.gateway.build;

import dev.kiln.core.image.Digest;
import dev.kiln.gateway.admin.OrgVariables;
import dev.kiln.gateway.auth.Principal;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.kafka.BuildPublisher;
import dev.kiln.gateway.kafka.PublishException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Accepts builds: records them, hands them to Kafka and attaches uploaded contexts. */
public final class BuildService {
  private static final Logger log = LoggerFactory.getLogger(BuildService.class);

  private final BuildRepository builds;
  private final OrgVariables variables;
  private final BuildPublisher publisher;
  private final String registry;
  private final Clock clock;

  public BuildService(
      BuildRepository builds,
      OrgVariables variables,
      BuildPublisher publisher,
      String registry,
      Clock clock) {
    this.builds = builds;
    this.variables = variables;
    this.publisher = publisher;
    this.registry = registry;
    this.clock = clock;
  }

  /** Records a validated request as QUEUED and publishes it; 503 when Kafka does not ack. */
  public BuildRecord create(ValidBuildRequest request, Principal principal, String cacheNamespace) {
    Instant now = clock.instant();
    boolean smartBuilds = request.smartBuilds() && variables.smartBuildsEnabled(principal.org());
    String imageRef =
        registry + "/" + request.namespace() + "/" + request.image() + ":" + request.tag();
    BuildRecord build =
        builds.insert(
            new BuildRecord(
                UUID.randomUUID(),
                principal.org(),
                request.namespace(),
                request.image(),
                request.tag(),
                0,
                registry,
                cacheNamespace,
                imageRef,
                request.params(),
                request.clientHash(),
                request.contextDigest(),
                request.noCache(),
                smartBuilds,
                BuildStatus.queued(),
                now,
                now));
    log.debug("build {} accepted as {} #{}", build.id(), imageRef, build.sequence());
    publishOrFail(build);
    return build;
  }

  /**
   * Attaches an uploaded context to a build waiting for one and publishes the request again. A
   * repeated attach of the same context while still queued is accepted without a new event.
   */
  public BuildRecord attachContext(UUID id, Principal principal, Digest contextDigest) {
    BuildRecord owned = owned(id, principal);
    AtomicBoolean attached = new AtomicBoolean();
    BuildRecord after =
        builds
            .change(
                id,
                build -> {
                  boolean waiting =
                      build.state() == BuildState.NEEDS_CONTEXT
                          || (build.state() == BuildState.QUEUED && build.contextDigest() == null);
                  if (!waiting) {
                    return Optional.empty();
                  }
                  attached.set(true);
                  Instant now = clock.instant();
                  return Optional.of(
                      build.withContext(contextDigest, now).withStatus(BuildStatus.queued(), now));
                })
            .orElse(owned);
    if (attached.get()) {
      publishOrFail(after);
      return after;
    }
    if (after.state() == BuildState.QUEUED && contextDigest.equals(after.contextDigest())) {
      return after;
    }
    throw ApiException.conflict(
        "build "
            + id
            + " is "
            + after.state()
            + (after.contextDigest() == null ? "" : " with context " + after.contextDigest())
            + "; a context can only be attached while the build waits for one (NEEDS_CONTEXT);"
            + " start a new build instead");
  }

  /** The build when it belongs to the caller: 404 when unknown or another org's, 403 otherwise. */
  public BuildRecord owned(UUID id, Principal principal) {
    BuildRecord build =
        builds
            .find(id)
            .filter(b -> b.org().equals(principal.org()))
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "build " + id + " does not exist; check the build id kiln printed"));
    if (!build.namespace().equals(principal.namespace())) {
      throw ApiException.forbidden(
          "build "
              + id
              + " belongs to namespace "
              + build.namespace()
              + " and the token is for namespace "
              + principal.namespace()
              + "; use a token of "
              + build.namespace());
    }
    return build;
  }

  /** Ends a build that is not final yet as FAILED with {@code reason}. */
  public void fail(UUID id, String reason) {
    builds.change(
        id,
        build ->
            build.state().isFinal()
                ? Optional.empty()
                : Optional.of(build.withStatus(build.status().failed(reason), clock.instant())));
  }

  private void publishOrFail(BuildRecord build) {
    try {
      publisher.publish(BuildEvents.requested(build, clock.instant()));
    } catch (PublishException e) {
      log.warn("build {}: {}", build.id(), e.getMessage());
      fail(build.id(), "the gateway could not hand the build to Kafka; run the build again");
      throw new ApiException(
          503,
          "tried to queue build "
              + build.id()
              + " of "
              + build.imageRef()
              + " but Kafka did not acknowledge it; the build is marked FAILED, run it again in a"
              + " moment",
          e);
    }
  }
}
