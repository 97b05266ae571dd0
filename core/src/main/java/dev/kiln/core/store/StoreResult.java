package dev.kiln.core.store;

import dev.kiln.core.image.Digest;

/**
 * What {@link ContextStore#put} did.
 *
 * @param digest the archive's address
 * @param sizeBytes its length
 * @param created false when the same archive was already stored
 */
public record StoreResult(Digest digest, long sizeBytes, boolean created) {}
