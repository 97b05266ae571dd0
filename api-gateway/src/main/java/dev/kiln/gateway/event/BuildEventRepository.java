package dev.kiln.gateway.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code build_events} table. Appends must run in a transaction that holds the build's row lock
 * (see the schema), which {@link dev.kiln.gateway.build.BuildRepository} takes.
 */
public final class BuildEventRepository {
  private final Jdbi jdbi;

  public BuildEventRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Appends one event; returns false when {@code source} (a Kafka record id, may be null) was
   * stored before, i.e. the record is a redelivery.
   */
  public static boolean append(
      Handle handle, UUID buildId, String kind, String payloadJson, String source, Instant now) {
    return handle
            .createUpdate(
                "INSERT INTO build_events (build_id, kind, payload, source, created_at)"
                    + " VALUES (:buildId, :kind, CAST(:payload AS jsonb), :source, :now)"
                    + " ON CONFLICT (source) DO NOTHING")
            .bind("buildId", buildId)
            .bind("kind", kind)
            .bind("payload", payloadJson)
            .bind("source", source)
            .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
            .execute()
        == 1;
  }

  /** Up to {@code limit} events of the build with seq greater than {@code afterSeq}, in order. */
  public List<BuildEvent> after(UUID buildId, long afterSeq, int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT seq, build_id, kind, payload::text AS payload FROM build_events"
                        + " WHERE build_id = :buildId AND seq > :after ORDER BY seq LIMIT :limit")
                .bind("buildId", buildId)
                .bind("after", afterSeq)
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new BuildEvent(
                            rs.getLong("seq"),
                            rs.getObject("build_id", UUID.class),
                            rs.getString("kind"),
                            rs.getString("payload")))
                .list());
  }
}
