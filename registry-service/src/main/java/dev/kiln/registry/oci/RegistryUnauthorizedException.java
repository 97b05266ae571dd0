package dev.kiln.registry.oci;

import java.util.List;

/** The registry answered 401: the credentials are missing or wrong. */
public final class RegistryUnauthorizedException extends RegistryException {

  public RegistryUnauthorizedException(String message) {
    this(message, 0, List.of(), null);
  }

  public RegistryUnauthorizedException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
