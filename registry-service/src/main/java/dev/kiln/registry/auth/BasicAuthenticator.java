package dev.kiln.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Sends the same user name and password to every registry, preemptively. The service uses {@link
 * ChallengeAuthenticator}, which answers each host's own challenge; this one suits tools talking to
 * one known basic-auth registry.
 */
public final class BasicAuthenticator implements RegistryAuthenticator {

  private final String header;

  public BasicAuthenticator(Credentials credentials) {
    this.header = header(credentials);
  }

  /** The {@code Authorization} value for basic auth with these credentials. */
  public static String header(Credentials credentials) {
    String pair = credentials.username() + ":" + credentials.password();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> authorization(AuthScope scope) {
    return Optional.of(header);
  }
}
