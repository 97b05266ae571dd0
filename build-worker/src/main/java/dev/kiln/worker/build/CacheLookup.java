package dev.kiln.worker.build;

import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.registry.v1.ExistsRequest;
import dev.kiln.registry.v1.ExistsResponse;
import dev.kiln.registry.v1.RegistryGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the registry-service whether a cache tag exists. Only a clear answer counts: an unreachable
 * or failing registry-service is retried and then reported, never taken for a miss (a wrong miss
 * would rebuild, a wrong hit is impossible).
 */
public final class CacheLookup {
  private static final Logger log = LoggerFactory.getLogger(CacheLookup.class);
  private static final Set<Status.Code> TRANSIENT =
      EnumSet.of(
          Status.Code.UNAVAILABLE,
          Status.Code.DEADLINE_EXCEEDED,
          Status.Code.UNKNOWN,
          Status.Code.INTERNAL,
          Status.Code.RESOURCE_EXHAUSTED,
          Status.Code.ABORTED);

  private static final String UNREACHABLE_HINT =
      "check that the registry-service and the registry are running (scripts/services.sh up)";

  private final RegistryGrpc.RegistryBlockingStub registry;
  private final String registryService;
  private final Duration callTimeout;
  private final Backoff backoff;

  /**
   * @param registryService address of the registry-service, for messages
   * @param callTimeout deadline of each Exists call
   */
  public CacheLookup(
      RegistryGrpc.RegistryBlockingStub registry,
      String registryService,
      Duration callTimeout,
      Backoff backoff) {
    this.registry = registry;
    this.registryService = registryService;
    this.callTimeout = callTimeout;
    this.backoff = backoff;
  }

  /**
   * The manifest digest of {@code cacheRef}, or empty when the registry does not have it.
   *
   * @throws LookupFailedException when no clear answer came after the retries
   */
  public Optional<Digest> find(ImageRef cacheRef) {
    StatusRuntimeException last = null;
    for (int attempt = 1; attempt <= backoff.attempts(); attempt++) {
      try {
        return answer(cacheRef, exists(cacheRef));
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code == Status.Code.NOT_FOUND) {
          // the contract keeps NOT_FOUND for "the registry said it is absent"
          return Optional.empty();
        }
        if (!TRANSIENT.contains(code)) {
          throw failure(
              cacheRef,
              "it answered " + describe(e),
              "check the registry-service's log and its access to the registry",
              e);
        }
        last = e;
        log.debug("Exists({}) attempt {} failed: {}", cacheRef, attempt, describe(e));
        if (attempt < backoff.attempts() && !backoff.pause(attempt)) {
          break;
        }
      }
    }
    throw failure(
        cacheRef,
        "it did not answer after "
            + backoff.attempts()
            + " attempts (last: "
            + describe(last)
            + ")",
        UNREACHABLE_HINT,
        last);
  }

  private ExistsResponse exists(ImageRef cacheRef) {
    return registry
        .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .exists(ExistsRequest.newBuilder().setReference(cacheRef.toString()).build());
  }

  private Optional<Digest> answer(ImageRef cacheRef, ExistsResponse response) {
    if (!response.getExists()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(response.getDigest()));
    } catch (RuntimeException e) {
      throw failure(
          cacheRef,
          "it reported the image without a valid digest ('" + response.getDigest() + "')",
          "check the registry-service's log",
          e);
    }
  }

  private LookupFailedException failure(
      ImageRef cacheRef, String because, String todo, Throwable cause) {
    return new LookupFailedException(
        "tried to look up the cache image "
            + cacheRef
            + " through the registry-service at "
            + registryService
            + " but "
            + because
            + "; "
            + todo
            + ", then build again",
        cause);
  }

  private static String describe(StatusRuntimeException e) {
    if (e == null) {
      return "no attempt";
    }
    Status status = e.getStatus();
    return status.getDescription() == null
        ? status.getCode().toString()
        : status.getCode() + ": " + status.getDescription();
  }
}
