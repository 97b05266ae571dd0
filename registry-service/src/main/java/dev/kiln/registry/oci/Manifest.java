package dev.kiln.registry.oci;

import dev.kiln.core.image.Digest;
import java.util.Objects;

/**
 * A manifest exactly as the registry serves it. The bytes are what the digest covers: they are
 * never re-serialized, so pushing them elsewhere keeps the digest (and index children intact).
 *
 * @param bytes owned by this record; callers must not modify the array
 */
public record Manifest(byte[] bytes, String mediaType, Digest digest) {

  public Manifest {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(mediaType, "mediaType");
    Objects.requireNonNull(digest, "digest");
  }

  public Descriptor descriptor() {
    return new Descriptor(mediaType, digest, bytes.length);
  }
}
