package dev.kiln.registry.oci;

import java.util.List;

/**
 * The registry answered something this client cannot use: an unexpected status, a malformed
 * manifest, or content whose digest differs from the one it was addressed by.
 */
public final class RegistryProtocolException extends RegistryException {

  public RegistryProtocolException(String message) {
    this(message, 0, List.of(), null);
  }

  public RegistryProtocolException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
