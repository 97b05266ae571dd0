package dev.kiln.gateway.auth;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The {@code tokens} table: token hash → organisation and namespace. */
public final class TokenRepository {
  private final Jdbi jdbi;

  public TokenRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public void insert(String tokenSha256, Principal principal, Instant createdAt) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO tokens (token_sha256, org, namespace, created_at)"
                        + " VALUES (:hash, :org, :namespace, :createdAt)")
                .bind("hash", tokenSha256)
                .bind("org", principal.org())
                .bind("namespace", principal.namespace())
                .bind("createdAt", OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC))
                .execute());
  }

  public Optional<Principal> find(String tokenSha256) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT org, namespace FROM tokens WHERE token_sha256 = :hash")
                .bind("hash", tokenSha256)
                .map((rs, ctx) -> new Principal(rs.getString("org"), rs.getString("namespace")))
                .findOne());
  }
}
