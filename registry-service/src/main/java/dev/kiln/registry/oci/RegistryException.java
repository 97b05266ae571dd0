package dev.kiln.registry.oci;

import dev.kiln.core.KilnException;
import java.util.List;

/**
 * A registry operation failed. Subclasses exist only where a caller acts differently: absent
 * manifest, unauthenticated, forbidden, retryable, unexpected digest, protocol violation.
 */
public abstract sealed class RegistryException extends KilnException
    permits ManifestUnknownException,
        RegistryUnauthorizedException,
        RegistryForbiddenException,
        RegistryUnavailableException,
        DigestMismatchException,
        RegistryProtocolException {

  private final int httpStatus;
  private final List<RegistryError> registryErrors;

  RegistryException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, cause);
    this.httpStatus = httpStatus;
    this.registryErrors = List.copyOf(registryErrors);
  }

  /** The HTTP status the registry answered, or 0 when the failure happened before an answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The errors from the registry's response body; empty when it sent none. */
  public List<RegistryError> registryErrors() {
    return registryErrors;
  }
}
