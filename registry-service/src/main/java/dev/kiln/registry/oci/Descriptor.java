package dev.kiln.registry.oci;

import dev.kiln.core.image.Digest;

/**
 * Content in a registry addressed by digest: a manifest or a blob.
 *
 * @param sizeBytes the content length, or -1 when the registry did not say
 */
public record Descriptor(String mediaType, Digest digest, long sizeBytes) {}
