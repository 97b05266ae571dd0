package dev.kiln.registry.auth;

import java.util.List;
import java.util.Optional;

/**
 * Where the user name and password for a registry host come from. Consulted only when a registry
 * asks for authentication, so a broken entry for one host never affects another.
 */
@FunctionalInterface
public interface CredentialStore {

  /**
   * @param registry {@code host[:port]} as written in image references
   * @return the credentials for that host, or empty to go on anonymously
   * @throws AuthenticationFailedException with {@code UNSUPPORTED} when the configuration names a
   *     credential source kiln cannot use for this host
   */
  Optional<Credentials> lookup(String registry);

  static CredentialStore none() {
    return registry -> Optional.empty();
  }

  /** The first store that knows the host wins. */
  static CredentialStore firstOf(List<CredentialStore> stores) {
    List<CredentialStore> copy = List.copyOf(stores);
    return registry -> {
      for (CredentialStore store : copy) {
        Optional<Credentials> found = store.lookup(registry);
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    };
  }
}
