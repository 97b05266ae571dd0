package dev.kiln.gateway.context;

import dev.kiln.core.image.Digest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jdbi.v3.core.Jdbi;

/** The {@code context_owners} table: which organisations uploaded each stored context. */
public final class ContextOwners {
  private final Jdbi jdbi;

  public ContextOwners(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public boolean owns(String org, Digest digest) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT EXISTS (SELECT 1 FROM context_owners"
                        + " WHERE digest = :digest AND org = :org)")
                .bind("digest", digest.toString())
                .bind("org", org)
                .mapTo(Boolean.class)
                .one());
  }

  /** Records that {@code org} uploaded {@code digest}; repeating it changes nothing. */
  public void record(String org, Digest digest, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO context_owners (digest, org, created_at)"
                        + " VALUES (:digest, :org, :now) ON CONFLICT DO NOTHING")
                .bind("digest", digest.toString())
                .bind("org", org)
                .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute());
  }
}
