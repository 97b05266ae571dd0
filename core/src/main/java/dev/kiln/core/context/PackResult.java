package dev.kiln.core.context;

import dev.kiln.core.image.Digest;

/**
 * What {@link ContextPacker} wrote.
 *
 * @param tarDigest the sha256 of the tar bytes, the context's address in the store
 * @param sizeBytes the tar's length
 * @param entryCount the number of entries in it
 */
public record PackResult(Digest tarDigest, long sizeBytes, int entryCount) {}
