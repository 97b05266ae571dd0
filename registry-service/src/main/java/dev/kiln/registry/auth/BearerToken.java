package dev.kiln.registry.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A token from a registry's token service and the instant from which kiln stops sending it. {@link
 * #toString()} never shows the token.
 */
public record BearerToken(String value, Instant expiresAt) {

  public BearerToken {
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean usableAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  @Override
  public String toString() {
    return "BearerToken[expiresAt=" + expiresAt + "]";
  }
}
