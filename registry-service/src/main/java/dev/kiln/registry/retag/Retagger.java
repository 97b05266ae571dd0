package dev.kiln.registry.retag;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.Digest;
import dev.kiln.core.image.ImageRef;
import dev.kiln.registry.lookup.ManifestLookup;
import dev.kiln.registry.oci.BlobClient;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.DigestMismatchException;
import dev.kiln.registry.oci.Manifest;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryProtocolException;
import dev.kiln.registry.oci.Repository;
import java.util.Optional;

/**
 * Points a tag at the manifest of another reference, byte for byte, so the digest stays the same
 * (an index keeps its children). Across repositories it first makes the manifest's content present
 * in the target repository.
 */
public final class Retagger {

  private final OciClient manifests;
  private final ManifestLookup lookup;
  private final ManifestCopier copier;

  public Retagger(OciClient manifests, BlobClient blobs) {
    this.manifests = manifests;
    this.lookup = new ManifestLookup(manifests);
    this.copier = new ManifestCopier(manifests, new BlobCopier(blobs));
  }

  /**
   * @param expected when present, the source must resolve to this digest or the retag fails with
   *     {@link DigestMismatchException} before anything is written
   * @return the descriptor of the manifest the target tag now points at
   */
  public Descriptor retag(ImageRef source, ImageRef target, Optional<Digest> expected) {
    if (target.tag() == null || target.digest() != null) {
      throw new InvalidInputException(
          "tried to retag "
              + source
              + " as "
              + target
              + " but the target is not a tag reference; write host/repository:tag");
    }
    Repository from = Repository.of(source);
    Repository to = Repository.of(target);

    Manifest manifest = manifests.getManifest(from, source.manifestReference());
    if (expected.isPresent() && !expected.get().equals(manifest.digest())) {
      throw new DigestMismatchException(
          "tried to retag "
              + source
              + " as "
              + target
              + " expecting digest "
              + expected.get()
              + " but the source is "
              + manifest.digest()
              + " now; resolve the source again and retry with its current digest");
    }

    // an index whose children are gone is not an image: never point a tag at it
    Optional<Digest> missing = lookup.missingChild(from, manifest);
    if (missing.isPresent()) {
      throw ManifestLookup.incomplete(
          "retag " + source + " as " + target, from, manifest.digest(), missing.get());
    }

    if (!from.equals(to)) {
      copier.ensureReferences(from, to, manifest);
    }
    Optional<Digest> stored = manifests.putManifest(to, target.tag(), manifest);

    // a registry that stored other bytes (converted the manifest) would break digest pinning
    Digest actual = stored.orElseGet(() -> manifests.resolveManifest(to, target.tag()).digest());
    if (!actual.equals(manifest.digest())) {
      throw new RegistryProtocolException(
          "tried to retag "
              + source
              + " as "
              + target
              + " but the registry stored digest "
              + actual
              + " instead of "
              + manifest.digest()
              + "; the registry rewrote the manifest, use a registry that stores manifests"
              + " unchanged");
    }
    return manifest.descriptor();
  }
}
