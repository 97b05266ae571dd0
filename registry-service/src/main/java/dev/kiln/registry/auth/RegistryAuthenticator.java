package dev.kiln.registry.auth;

import java.util.Optional;

/**
 * Supplies the {@code Authorization} header for registry requests. {@link ChallengeAuthenticator}
 * learns each host's scheme from its {@code WWW-Authenticate} challenge in {@link #refresh}, then
 * answers from its credentials or its token cache.
 *
 * <p>Both methods may throw {@link AuthenticationFailedException} (credentials kiln cannot use, a
 * token service refusing or failing); the transport turns it into the registry exception callers
 * act on.
 */
public interface RegistryAuthenticator {

  /** The header value to send for this scope, or empty to send the request anonymously. */
  Optional<String> authorization(AuthScope scope);

  /**
   * Called once when the registry answered 401. Returns true when sending the request again with a
   * fresh {@link #authorization} may succeed; false makes the 401 final.
   *
   * @param challenge the {@code WWW-Authenticate} header, empty when the registry sent none
   */
  default boolean refresh(AuthScope scope, String challenge) {
    return false;
  }

  static RegistryAuthenticator anonymous() {
    return scope -> Optional.empty();
  }
}
