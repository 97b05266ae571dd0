package dev.kiln.gateway.http;

import dev.kiln.gateway.auth.Principal;

/** Checks bearer tokens for the router; implementations throw {@link ApiException} (401). */
public interface Credentials {
  /** The principal of a namespace token; 401 when unknown. */
  Principal principal(String bearerToken);

  /** Passes when {@code bearerToken} is the admin token; 403 for a namespace token, else 401. */
  void requireAdmin(String bearerToken);
}
