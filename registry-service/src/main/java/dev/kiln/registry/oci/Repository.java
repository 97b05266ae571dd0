package dev.kiln.registry.oci;

import dev.kiln.core.image.ImageRef;

/** A repository on a registry: the part of an image reference before the tag or digest. */
public record Repository(String registry, String name) {

  public static Repository of(ImageRef ref) {
    return new Repository(ref.registry(), ref.repository());
  }

  /** The API path below this repository, e.g. {@code /v2/<name>/manifests/<tag>}. */
  String path(String kind, String reference) {
    return "/v2/" + name + "/" + kind + "/" + reference;
  }

  /** {@code registry/name:tag} or {@code registry/name@sha256:...}, for messages. */
  String display(String reference) {
    return this + (reference.contains(":") ? "@" : ":") + reference;
  }

  @Override
  public String toString() {
    return registry + "/" + name;
  }
}
