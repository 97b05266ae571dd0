package dev.kiln.registry.grpc;

import dev.kiln.core.InvalidInputException;
import dev.kiln.registry.oci.DigestMismatchException;
import dev.kiln.registry.oci.ManifestUnknownException;
import dev.kiln.registry.oci.RegistryForbiddenException;
import dev.kiln.registry.oci.RegistryProtocolException;
import dev.kiln.registry.oci.RegistryUnauthorizedException;
import dev.kiln.registry.oci.RegistryUnavailableException;
import io.grpc.Status;

/**
 * The status-code contract of {@code kiln/registry/v1/registry.proto}: NOT_FOUND only for an absent
 * manifest, 401/403 as UNAUTHENTICATED/PERMISSION_DENIED, everything retryable as UNAVAILABLE, a
 * bad reference as INVALID_ARGUMENT, a failed expected digest as FAILED_PRECONDITION. The
 * description is the exception's message, registry errors included.
 */
final class StatusMapper {

  private StatusMapper() {}

  static Status toStatus(RuntimeException e) {
    Status status =
        switch (e) {
          case InvalidInputException ignored -> Status.INVALID_ARGUMENT;
          case ManifestUnknownException ignored -> Status.NOT_FOUND;
          case RegistryUnauthorizedException ignored -> Status.UNAUTHENTICATED;
          case RegistryForbiddenException ignored -> Status.PERMISSION_DENIED;
          case RegistryUnavailableException ignored -> Status.UNAVAILABLE;
          case DigestMismatchException ignored -> Status.FAILED_PRECONDITION;
          // the registry answered something unusable; retrying will not change that
          case RegistryProtocolException ignored -> Status.INTERNAL;
          default -> Status.INTERNAL;
        };
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return status.withDescription(message).withCause(e);
  }
}
