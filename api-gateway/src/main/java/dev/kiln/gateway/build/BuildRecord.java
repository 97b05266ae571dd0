package dev.kiln.gateway.build;

import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import java.time.Instant;
import java.util.UUID;

/**
 * One build request as the gateway records it.
 *
 * @param sequence per org/namespace/image, in the order the gateway accepted requests
 * @param registry registry host[:port] both the namespace tag and the cache image live in
 * @param cacheNamespace the organisation's cache namespace when the build was accepted
 * @param imageRef the namespace tag, {@code <registry>/<namespace>/<image>:<tag>}
 * @param clientHash the hash the client computed; null when it sent only a context
 * @param contextDigest the uploaded context; null until one is attached
 */
public record BuildRecord(
    UUID id,
    String org,
    String namespace,
    String image,
    String tag,
    long sequence,
    String registry,
    String cacheNamespace,
    String imageRef,
    BuildParameters params,
    BuildHash clientHash,
    Digest contextDigest,
    boolean noCache,
    boolean smartBuilds,
    BuildStatus status,
    Instant createdAt,
    Instant updatedAt) {

  public BuildState state() {
    return status.state();
  }

  /** {@code <registry>/<cache-ns>/<image>}: the cache reference without its hash tag. */
  public String cacheRepository() {
    return registry + "/" + cacheNamespace + "/" + image;
  }

  public BuildRecord withStatus(BuildStatus newStatus, Instant now) {
    return new BuildRecord(
        id,
        org,
        namespace,
        image,
        tag,
        sequence,
        registry,
        cacheNamespace,
        imageRef,
        params,
        clientHash,
        contextDigest,
        noCache,
        smartBuilds,
        newStatus,
        createdAt,
        now);
  }

  public BuildRecord withContext(Digest newContextDigest, Instant now) {
    return new BuildRecord(
        id,
        org,
        namespace,
        image,
        tag,
        sequence,
        registry,
        cacheNamespace,
        imageRef,
        params,
        clientHash,
        newContextDigest,
        noCache,
        smartBuilds,
        status,
        createdAt,
        now);
  }
}
