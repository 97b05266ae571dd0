package dev.kiln.gateway.namespace;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code namespace_owners} table: which organisation owns each registry namespace and as what.
 * Registry paths carry no organisation, so without it two organisations could write each other's
 * tags and cache images.
 */
public final class NamespaceOwners {
  /** The owner of a namespace. */
  public record Owner(String org, NamespaceKind kind) {}

  private final Jdbi jdbi;

  public NamespaceOwners(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Claims {@code name} for {@code org} as {@code kind} unless someone owns it already, and returns
   * the owner afterwards: the caller holds the claim when it equals {@code new Owner(org, kind)}.
   * Insert-then-read is atomic enough because an owner row never changes once written.
   */
  public Owner claim(String name, String org, NamespaceKind kind, Instant now) {
    return jdbi.withHandle(
        h -> {
          h.createUpdate(
                  "INSERT INTO namespace_owners (name, org, kind, claimed_at)"
                      + " VALUES (:name, :org, :kind, :now) ON CONFLICT (name) DO NOTHING")
              .bind("name", name)
              .bind("org", org)
              .bind("kind", kind.column())
              .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
              .execute();
          return find(name).orElseThrow();
        });
  }

  public Optional<Owner> find(String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT org, kind FROM namespace_owners WHERE name = :name")
                .bind("name", name)
                .map(
                    (rs, ctx) ->
                        new Owner(
                            rs.getString("org"), NamespaceKind.fromColumn(rs.getString("kind"))))
                .findOne());
  }
}
