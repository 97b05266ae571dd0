package dev.kiln.gateway.build;

import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;

/**
 * A {@code POST /v1/builds} body that passed validation.
 *
 * @param clientHash null when only a context was sent
 * @param contextDigest null when only a client hash was sent
 */
public record ValidBuildRequest(
    String namespace,
    String image,
    String tag,
    BuildParameters params,
    BuildHash clientHash,
    Digest contextDigest,
    boolean noCache,
    boolean smartBuilds) {}
