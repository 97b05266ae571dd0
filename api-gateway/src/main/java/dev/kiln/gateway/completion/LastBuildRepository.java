package dev.kiln.gateway.completion;

import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.gateway.build.BuildRecord;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The {@code last_builds} table: which build each namespace tag records. */
public final class LastBuildRepository {
  /** One row of {@code last_builds}. */
  public record LastBuild(long sequence, UUID buildId, String digest, String hash) {}

  private final Jdbi jdbi;

  public LastBuildRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Compare-and-set: records {@code build} as its tag's last build when the tag has none, one with
   * a lower sequence, or already this build (a replay). Returns whether {@code build} is the
   * recorded one afterwards; the row stays locked until the transaction of {@code h} ends.
   */
  public static boolean claim(
      Handle h, BuildRecord build, Digest digest, BuildHash hash, Instant now) {
    return h.createQuery(
            "INSERT INTO last_builds"
                + " (org, namespace, image, tag, sequence, build_id, digest, hash, updated_at)"
                + " VALUES (:org, :namespace, :image, :tag, :sequence, :buildId, :digest,"
                + " :hash, :now)"
                + " ON CONFLICT (org, namespace, image, tag) DO UPDATE SET"
                + " sequence = EXCLUDED.sequence, build_id = EXCLUDED.build_id,"
                + " digest = EXCLUDED.digest, hash = EXCLUDED.hash,"
                + " updated_at = EXCLUDED.updated_at"
                + " WHERE last_builds.sequence < EXCLUDED.sequence"
                + " OR last_builds.build_id = EXCLUDED.build_id"
                + " RETURNING build_id")
        .bind("org", build.org())
        .bind("namespace", build.namespace())
        .bind("image", build.image())
        .bind("tag", build.tag())
        .bind("sequence", build.sequence())
        .bind("buildId", build.id())
        .bind("digest", digest.toString())
        .bind("hash", hash.hex())
        .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
        .mapTo(UUID.class)
        .findOne()
        .isPresent();
  }

  public Optional<LastBuild> find(String org, String namespace, String image, String tag) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT sequence, build_id, digest, hash FROM last_builds WHERE org = :org"
                        + " AND namespace = :namespace AND image = :image AND tag = :tag")
                .bind("org", org)
                .bind("namespace", namespace)
                .bind("image", image)
                .bind("tag", tag)
                .map(
                    (rs, ctx) ->
                        new LastBuild(
                            rs.getLong("sequence"),
                            rs.getObject("build_id", UUID.class),
                            rs.getString("digest"),
                            rs.getString("hash")))
                .findOne());
  }
}
