package dev.kiln.registry.oci;

import java.util.List;

/** The registry answered 403: the credentials lack access to the repository. */
public final class RegistryForbiddenException extends RegistryException {

  public RegistryForbiddenException(String message) {
    this(message, 0, List.of(), null);
  }

  public RegistryForbiddenException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
