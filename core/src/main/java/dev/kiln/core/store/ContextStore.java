package dev.kiln.core.store;

import dev.kiln.core.context.ContextLimits;
import dev.kiln.core.image.Digest;
import java.io.InputStream;

/**
 * Content-addressed storage of context archives. On one machine a directory ({@link
 * DirectoryContextStore}); in a cluster something every gateway replica and BuildKit daemon can
 * reach, such as the OCI registry holding tars as blobs.
 */
public interface ContextStore {

  boolean exists(Digest digest);

  /**
   * @throws ContextNotFoundException when nothing is stored under the digest
   */
  long sizeBytes(Digest digest);

  /**
   * Opens the stored archive; the caller closes the stream.
   *
   * @throws ContextNotFoundException when nothing is stored under the digest
   */
  InputStream open(Digest digest);

  /**
   * Stores {@code body} under {@code expected}, streaming it while hashing. Nothing is visible
   * under the digest until all bytes arrived and matched; storing what is already there is fine.
   *
   * @throws dev.kiln.core.InvalidInputException when the body's sha256 is not {@code expected} or
   *     it is larger than {@code limits.maxBytes()}
   */
  StoreResult put(Digest expected, InputStream body, ContextLimits limits);

  /** Removes the archive if it is stored; does nothing otherwise. */
  void delete(Digest digest);
}
