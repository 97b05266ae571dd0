package dev.kiln.registry.oci;

import dev.kiln.registry.auth.AuthenticationFailedException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;

/** The registry exceptions for failures that happen before or instead of a registry answer. */
final class TransportFailures {

  private TransportFailures() {}

  static RegistryUnavailableException unreachable(RegistryRequest request, IOException e) {
    String why =
        e instanceof HttpTimeoutException
            ? "it did not answer in time"
            : "the connection failed (" + e + ")";
    return new RegistryUnavailableException(
        "tried to "
            + request.action()
            + " at "
            + request.uri().getScheme()
            + "://"
            + request.uri().getRawAuthority()
            + " but "
            + why
            + "; check that the registry is running and reachable, and that KILN_REGISTRY_INSECURE"
            + " lists it when it speaks plain HTTP",
        0,
        List.of(),
        e);
  }

  static RegistryUnavailableException interrupted(RegistryRequest request, Throwable cause) {
    return new RegistryUnavailableException(
        "tried to "
            + request.action()
            + " but the call was cancelled (the caller gave up or its deadline passed); try again",
        0,
        List.of(),
        cause);
  }

  /** No cause: nothing went wrong with the registry, the caller ran out of time. */
  static RegistryUnavailableException deadlinePassed(RegistryRequest request) {
    return new RegistryUnavailableException(
        "tried to "
            + request.action()
            + " but the caller's deadline passed before the request could be sent; call again"
            + " with a longer deadline");
  }

  static RegistryException authentication(
      RegistryRequest request, AuthenticationFailedException e) {
    String message =
        "tried to " + request.action() + " but authentication failed: " + e.getMessage();
    return switch (e.reason()) {
      case REJECTED, UNSUPPORTED -> new RegistryUnauthorizedException(message, 0, List.of(), e);
      case FORBIDDEN -> new RegistryForbiddenException(message, 0, List.of(), e);
      case UNAVAILABLE -> new RegistryUnavailableException(message, 0, List.of(), e);
      case INVALID_RESPONSE -> new RegistryProtocolException(message, 0, List.of(), e);
    };
  }

  static RegistryProtocolException tooLarge(RegistryRequest request, int limitBytes, Throwable e) {
    return new RegistryProtocolException(
        "tried to "
            + request.action()
            + " but the registry's answer is larger than "
            + limitBytes
            + " bytes; check that "
            + request.uri()
            + " is a registry endpoint",
        0,
        List.of(),
        e);
  }
}
