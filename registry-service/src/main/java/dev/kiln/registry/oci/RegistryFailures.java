package dev.kiln.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.registry.auth.Challenge;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an unwanted registry answer into the exception a caller acts on, carrying the registry's
 * own error codes and messages. A 404 is not decided here: whether it means "absent" depends on
 * what was asked.
 */
final class RegistryFailures {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RegistryFailures() {}

  static RegistryException of(String action, RegistryResponse response) {
    int status = response.status();
    List<RegistryError> errors = errors(response.body());
    String answered =
        "tried to "
            + action
            + " but the registry answered "
            + status
            + (errors.isEmpty() ? "" : " " + errors);
    if (status == 401 && insufficientScope(response)) {
      // Distribution answers 401, not RFC 6750's 403, when the token lacks an action
      return new RegistryForbiddenException(
          answered
              + " (the token service granted too little: insufficient_scope); give the registry"
              + " user pull and push access to this repository, or configure credentials"
              + " (KILN_REGISTRY_USERNAME/PASSWORD or a Docker config) if kiln calls anonymously",
          status,
          errors,
          null);
    }
    return switch (status) {
      case 401 ->
          new RegistryUnauthorizedException(
              answered
                  + "; set KILN_REGISTRY_USERNAME and KILN_REGISTRY_PASSWORD to a user of this"
                  + " registry",
              status,
              errors,
              null);
      case 403 ->
          new RegistryForbiddenException(
              answered + "; give the registry user pull and push access to this repository",
              status,
              errors,
              null);
      case 429 ->
          new RegistryUnavailableException(
              answered + "; the registry is rate limiting, retry later", status, errors, null);
      default ->
          status >= 500
              ? new RegistryUnavailableException(
                  answered + "; the registry failed, retry later or check its logs",
                  status,
                  errors,
                  null)
              : new RegistryProtocolException(
                  answered + "; check the reference and the registry's logs", status, errors, null);
    };
  }

  private static boolean insufficientScope(RegistryResponse response) {
    return response.header("WWW-Authenticate").map(Challenge::parse).orElse(List.of()).stream()
        .anyMatch(c -> c.isBearer() && c.param("error").orElse("").equals("insufficient_scope"));
  }

  /** The entries of a {@code {"errors":[...]}} body; empty for any other body. */
  static List<RegistryError> errors(byte[] body) {
    if (body.length == 0) {
      return List.of();
    }
    try {
      JsonNode json = JSON.readTree(body);
      List<RegistryError> result = new ArrayList<>();
      if (json != null) {
        for (JsonNode error : json.path("errors")) {
          result.add(
              new RegistryError(
                  error.path("code").asText("UNKNOWN"), error.path("message").asText("")));
        }
      }
      return result;
    } catch (IOException e) {
      return List.of();
    }
  }
}
