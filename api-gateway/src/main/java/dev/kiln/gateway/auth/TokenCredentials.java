package dev.kiln.gateway.auth;

import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.http.Credentials;

/** Checks namespace tokens against the database and the admin token against the config. */
public final class TokenCredentials implements Credentials {
  private final TokenRepository tokens;
  private final String adminToken;

  public TokenCredentials(TokenRepository tokens, String adminToken) {
    this.tokens = tokens;
    this.adminToken = adminToken;
  }

  @Override
  public Principal principal(String bearerToken) {
    return tokens
        .find(Tokens.sha256Hex(bearerToken))
        .orElseThrow(
            () ->
                ApiException.unauthorized(
                    "the bearer token is not a known kiln token; check KILN_TOKEN or ask your"
                        + " kiln admin for a new one"));
  }

  @Override
  public void requireAdmin(String bearerToken) {
    if (Tokens.constantTimeEquals(bearerToken, adminToken)) {
      return;
    }
    if (tokens.find(Tokens.sha256Hex(bearerToken)).isPresent()) {
      throw ApiException.forbidden(
          "this endpoint needs the admin token (KILN_ADMIN_TOKEN of the gateway); a namespace"
              + " token cannot use it, ask your kiln admin");
    }
    throw ApiException.unauthorized(
        "this endpoint needs the admin token (KILN_ADMIN_TOKEN of the gateway); the bearer token"
            + " is not it");
  }
}
