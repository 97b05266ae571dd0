package dev.kiln.registry.auth;

import java.util.Optional;

/**
 * Supplies the {@code Authorization} header for registry requests. Basic auth answers up front; a
 * bearer-token implementation (issue 4) answers from its token cache and fetches a token when
 * {@link #refresh} sees a {@code WWW-Authenticate: Bearer ...} challenge.
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
