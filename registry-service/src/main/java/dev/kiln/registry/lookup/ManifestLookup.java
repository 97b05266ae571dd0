package dev.kiln.registry.lookup;

import dev.kiln.core.image.Digest;
import dev.kiln.registry.oci.Descriptor;
import dev.kiln.registry.oci.Manifest;
import dev.kiln.registry.oci.ManifestMediaTypes;
import dev.kiln.registry.oci.ManifestReferences;
import dev.kiln.registry.oci.ManifestUnknownException;
import dev.kiln.registry.oci.OciClient;
import dev.kiln.registry.oci.RegistryProtocolException;
import dev.kiln.registry.oci.Repository;
import java.util.Optional;

/**
 * Whether an image is usable in a repository: its manifest is there and, for an index, every child
 * manifest is too (HEAD by digest). An index whose children were garbage-collected is not an image:
 * pulling it fails, so it must neither count as a cache hit nor be retagged.
 */
public final class ManifestLookup {

  /** Indexes of indexes exist (attestations, nested platforms); deeper than this is malformed. */
  private static final int MAX_DEPTH = 4;

  /** What a lookup found. */
  public sealed interface Status {}

  /** The manifest and everything it lists as a child. */
  public record Present(Descriptor descriptor) implements Status {}

  /** No manifest under the reference. */
  public record Absent() implements Status {}

  /** An index is there but its child manifest {@code missingChild} is not. */
  public record Incomplete(Descriptor index, Digest missingChild) implements Status {}

  private final OciClient manifests;

  public ManifestLookup(OciClient manifests) {
    this.manifests = manifests;
  }

  public Status status(Repository repository, String reference) {
    Optional<Descriptor> found = manifests.findManifest(repository, reference);
    if (found.isEmpty()) {
      return new Absent();
    }
    Descriptor descriptor = found.get();
    if (!ManifestMediaTypes.isIndex(descriptor.mediaType())) {
      return new Present(descriptor);
    }
    Manifest index;
    try {
      index = manifests.getManifest(repository, descriptor.digest().toString());
    } catch (ManifestUnknownException deletedMeanwhile) {
      return new Absent();
    }
    return missingChild(repository, index)
        .<Status>map(child -> new Incomplete(descriptor, child))
        .orElseGet(() -> new Present(descriptor));
  }

  /** The first child manifest of {@code manifest} (an index) absent from the repository. */
  public Optional<Digest> missingChild(Repository repository, Manifest manifest) {
    return missingChild(repository, manifest, 1);
  }

  private Optional<Digest> missingChild(Repository repository, Manifest manifest, int depth) {
    if (!ManifestMediaTypes.isIndex(manifest.mediaType())) {
      return Optional.empty();
    }
    if (depth > MAX_DEPTH) {
      throw new RegistryProtocolException(
          "tried to check the children of index "
              + manifest.digest()
              + " in "
              + repository
              + " but indexes are nested deeper than "
              + MAX_DEPTH
              + " levels; push a flatter image index");
    }
    for (Descriptor child : ManifestReferences.of(manifest).manifests()) {
      String byDigest = child.digest().toString();
      if (ManifestMediaTypes.isIndex(child.mediaType())) {
        Manifest nested;
        try {
          nested = manifests.getManifest(repository, byDigest);
        } catch (ManifestUnknownException e) {
          return Optional.of(child.digest());
        }
        Optional<Digest> missing = missingChild(repository, nested, depth + 1);
        if (missing.isPresent()) {
          return missing;
        }
      } else if (manifests.findManifest(repository, byDigest).isEmpty()) {
        return Optional.of(child.digest());
      }
    }
    return Optional.empty();
  }

  /** The exception for an incomplete index: to callers it is as absent as a missing manifest. */
  public static ManifestUnknownException incomplete(
      String action, Repository repository, Digest index, Digest missingChild) {
    return new ManifestUnknownException(
        "tried to "
            + action
            + " but its index "
            + index
            + " lists the child manifest "
            + missingChild
            + ", which is missing from "
            + repository
            + " (garbage-collected or never pushed); push the complete image again",
        404,
        java.util.List.of(),
        null);
  }
}
