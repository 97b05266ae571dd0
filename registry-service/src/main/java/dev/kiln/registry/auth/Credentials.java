package dev.kiln.registry.auth;

import java.util.Objects;

/** A registry user name and password. {@link #toString()} never shows the password. */
public record Credentials(String username, String password) {

  public Credentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    if (username.isEmpty() || username.contains(":")) {
      throw new IllegalArgumentException(
          "tried to use registry credentials but the user name is empty or contains ':'; set"
              + " KILN_REGISTRY_USERNAME to a valid user name");
    }
  }

  @Override
  public String toString() {
    return "Credentials[username=" + username + ", password=***]";
  }
}
