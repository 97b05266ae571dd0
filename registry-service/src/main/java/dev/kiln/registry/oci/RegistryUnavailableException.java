package dev.kiln.registry.oci;

import java.util.List;

/** Retrying later may succeed: 429, 5xx, connection failures and timeouts. */
public final class RegistryUnavailableException extends RegistryException {

  public RegistryUnavailableException(String message) {
    this(message, 0, List.of(), null);
  }

  public RegistryUnavailableException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
