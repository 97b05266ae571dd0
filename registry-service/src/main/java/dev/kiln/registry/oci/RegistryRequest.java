package dev.kiln.registry.oci;

import dev.kiln.registry.auth.AuthScope;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublisher;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP exchange with a registry.
 *
 * @param operation what the request does, for metrics ({@code manifest.head}, {@code blob.mount})
 * @param action what the caller is doing, for error messages ("resolve 127.0.0.1:5100/a:b")
 * @param body the request body, null for none; must be re-subscribable (byte arrays, files) so a
 *     request can be sent again after an authentication challenge or a retryable failure
 */
public record RegistryRequest(
    String method,
    URI uri,
    AuthScope scope,
    String operation,
    String action,
    Map<String, String> headers,
    BodyPublisher body) {

  public RegistryRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(action, "action");
    headers = Map.copyOf(headers);
  }

  public static RegistryRequest of(
      String method,
      URI uri,
      AuthScope scope,
      String operation,
      String action,
      Map<String, String> headers) {
    return new RegistryRequest(method, uri, scope, operation, action, headers, null);
  }

  public RegistryRequest withUri(URI newUri) {
    return new RegistryRequest(method, newUri, scope, operation, action, headers, body);
  }
}
