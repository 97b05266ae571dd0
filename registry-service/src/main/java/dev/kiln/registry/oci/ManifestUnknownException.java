package dev.kiln.registry.oci;

import java.util.List;

/** The registry answered 404 for a manifest: it is absent (never used for other failures). */
public final class ManifestUnknownException extends RegistryException {

  public ManifestUnknownException(String message) {
    this(message, 0, List.of(), null);
  }

  public ManifestUnknownException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
