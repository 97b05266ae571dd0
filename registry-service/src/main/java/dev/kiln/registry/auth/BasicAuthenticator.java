package dev.kiln.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Sends the same user name and password to every registry, preemptively: the registries kiln talks
 * to with basic auth (htpasswd-protected Distribution) always demand it, so waiting for the
 * challenge would only double the round trips.
 */
public final class BasicAuthenticator implements RegistryAuthenticator {

  private final String header;

  public BasicAuthenticator(Credentials credentials) {
    String pair = credentials.username() + ":" + credentials.password();
    this.header =
        "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> authorization(AuthScope scope) {
    return Optional.of(header);
  }
}
