package dev.kiln.registry.oci;

import java.util.List;

/** The source manifest is not the one the caller expected (a precondition of the call failed). */
public final class DigestMismatchException extends RegistryException {

  public DigestMismatchException(String message) {
    this(message, 0, List.of(), null);
  }

  public DigestMismatchException(
      String message, int httpStatus, List<RegistryError> registryErrors, Throwable cause) {
    super(message, httpStatus, registryErrors, cause);
  }
}
