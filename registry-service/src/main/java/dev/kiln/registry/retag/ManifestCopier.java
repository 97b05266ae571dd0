package dev.kiln.registry.retag;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.lookup.ManifestLookup;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.Manifest;
import dev.kiln.registry.oci.ManifestReferences;
import dev.kiln.registry.oci.ManifestUnknownException;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.Repository;

/**
 * Makes everything a manifest references present in a target repository, so the registry accepts
 * the manifest there: an image manifest's config and layers, an index's child manifests (pushed by
 * digest, each after its own content).
 */
final class ManifestCopier {

  private final OciClient manifests;
  private final BlobCopier blobs;

  ManifestCopier(OciClient manifests, BlobCopier blobs) {
    this.manifests = manifests;
    this.blobs = blobs;
  }

  void ensureReferences(Repository source, Repository target, Manifest manifest) {
    ManifestReferences references = ManifestReferences.of(manifest);
    for (Descriptor blob : references.blobs()) {
      blobs.ensure(source, target, blob);
    }
    for (Descriptor child : references.manifests()) {
      String byDigest = child.digest().toString();
      if (manifests.findManifest(target, byDigest).isPresent()) {
        // a manifest the registry accepted already has all its content
        continue;
      }
      Manifest childManifest = fetchChild(source, manifest, byDigest);
      ensureReferences(source, target, childManifest);
      manifests.putManifest(target, byDigest, childManifest);
    }
  }

  private Manifest fetchChild(Repository source, Manifest index, String childDigest) {
    try {
      return manifests.getManifest(source, childDigest);
    } catch (ManifestUnknownException e) {
      // checked before copying; a child deleted since then makes the index just as unusable
      throw ManifestLookup.incomplete(
          "copy index " + index.digest(), source, index.digest(), Digest.parse(childDigest));
    }
  }
}
