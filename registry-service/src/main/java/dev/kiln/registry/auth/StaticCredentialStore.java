package dev.kiln.registry.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One user name and password from the service's configuration ({@code KILN_REGISTRY_USERNAME},
 * {@code KILN_REGISTRY_PASSWORD}), for the listed hosts or, with no list, for every host.
 */
public final class StaticCredentialStore implements CredentialStore {

  private final Credentials credentials;
  private final Set<String> hosts;

  /**
   * @param hosts {@code host[:port]} entries the credentials are for; empty means every host
   */
  public StaticCredentialStore(Credentials credentials, Set<String> hosts) {
    this.credentials = credentials;
    this.hosts =
        hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }

  @Override
  public Optional<Credentials> lookup(String registry) {
    if (hosts.isEmpty() || hosts.contains(registry.toLowerCase(Locale.ROOT))) {
      return Optional.of(credentials);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "user "
        + credentials.username()
        + (hosts.isEmpty() ? " for every registry" : " for " + hosts);
  }
}
