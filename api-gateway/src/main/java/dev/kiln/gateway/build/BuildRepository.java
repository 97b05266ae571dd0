package dev.kiln.gateway.build;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.core.image.BuildHash;
import dev.kiln.core.image.Digest;
import dev.kiln.gateway.event.BuildEvent;
import dev.kiln.gateway.event.BuildEventRepository;
import dev.kiln.gateway.http.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code builds} table. Every state change goes through {@link #change}, which locks the row,
 * saves the new status and appends the matching {@code state} event in one transaction.
 */
public final class BuildRepository {
  private static final String COLUMNS =
      "id, org, namespace, image, tag, sequence, state, outcome, hash, client_hash, digest,"
          + " cache_ref, registry, cache_namespace, image_ref, builder, error, message, params::text AS params,"
          + " context_digest, no_cache, smart_builds, created_at, updated_at";

  private final Jdbi jdbi;

  public BuildRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Gives {@code build} the next sequence of its org/namespace/image, inserts it and appends its
   * first state event; returns it with the sequence set.
   */
  public BuildRecord insert(BuildRecord build) {
    return jdbi.inTransaction(
        h -> {
          long sequence =
              h.createQuery(
                      "INSERT INTO image_sequences (org, namespace, image, last_sequence)"
                          + " VALUES (:org, :namespace, :image, 1)"
                          + " ON CONFLICT (org, namespace, image)"
                          + " DO UPDATE SET last_sequence = image_sequences.last_sequence + 1"
                          + " RETURNING last_sequence")
                  .bind("org", build.org())
                  .bind("namespace", build.namespace())
                  .bind("image", build.image())
                  .mapTo(Long.class)
                  .one();
          BuildRecord numbered =
              new BuildRecord(
                  build.id(),
                  build.org(),
                  build.namespace(),
                  build.image(),
                  build.tag(),
                  sequence,
                  build.registry(),
                  build.cacheNamespace(),
                  build.imageRef(),
                  build.params(),
                  build.clientHash(),
                  build.contextDigest(),
                  build.noCache(),
                  build.smartBuilds(),
                  build.status(),
                  build.createdAt(),
                  build.updatedAt());
          h.createUpdate(
                  "INSERT INTO builds (id, org, namespace, image, tag, sequence, state, registry,"
                      + " cache_namespace, image_ref, client_hash, params, context_digest, no_cache, smart_builds, created_at,"
                      + " updated_at) VALUES (:id, :org, :namespace, :image, :tag, :sequence,"
                      + " :state, :registry, :cacheNamespace, :imageRef, :clientHash, CAST(:params AS jsonb), :contextDigest,"
                      + " :noCache, :smartBuilds, :createdAt, :updatedAt)")
              .bind("id", numbered.id())
              .bind("org", numbered.org())
              .bind("namespace", numbered.namespace())
              .bind("image", numbered.image())
              .bind("tag", numbered.tag())
              .bind("sequence", sequence)
              .bind("state", numbered.state().name())
              .bind("registry", numbered.registry())
              .bind("cacheNamespace", numbered.cacheNamespace())
              .bind("imageRef", numbered.imageRef())
              .bind("clientHash", text(numbered.clientHash()))
              .bind("params", Json.writeString(numbered.params()))
              .bind("contextDigest", text(numbered.contextDigest()))
              .bind("noCache", numbered.noCache())
              .bind("smartBuilds", numbered.smartBuilds())
              .bind("createdAt", time(numbered.createdAt()))
              .bind("updatedAt", time(numbered.updatedAt()))
              .execute();
          appendState(h, numbered);
          return numbered;
        });
  }

  public Optional<BuildRecord> find(UUID id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT " + COLUMNS + " FROM builds WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> map(rs))
                .findOne());
  }

  /**
   * Locks the build, asks {@code decide} for its new version and, when there is one, saves it and
   * appends a {@code state} event for it. Returns the build as it is afterwards, or empty when it
   * does not exist.
   */
  public Optional<BuildRecord> change(
      UUID id, Function<BuildRecord, Optional<BuildRecord>> decide) {
    return change(id, decide, null);
  }

  /**
   * Like {@link #change(UUID, Function)}; when the build changes, {@code progressJson} (may be
   * null) is appended as a {@code progress} event right before the state event.
   */
  public Optional<BuildRecord> change(
      UUID id, Function<BuildRecord, Optional<BuildRecord>> decide, String progressJson) {
    return jdbi.inTransaction(
        h -> {
          Optional<BuildRecord> current = lock(h, id);
          if (current.isEmpty()) {
            return Optional.empty();
          }
          Optional<BuildRecord> next = decide.apply(current.get());
          if (next.isEmpty()) {
            return current;
          }
          save(h, next.get());
          if (progressJson != null) {
            BuildEventRepository.append(
                h, id, BuildEvent.PROGRESS, progressJson, null, next.get().updatedAt());
          }
          appendState(h, next.get());
          return next;
        });
  }

  /**
   * Appends a {@code progress} event under the build's lock; false when the build does not exist or
   * {@code source} was stored before.
   */
  public boolean appendProgress(UUID id, String payloadJson, String source, Instant now) {
    return jdbi.inTransaction(
        h ->
            lock(h, id).isPresent()
                && BuildEventRepository.append(
                    h, id, BuildEvent.PROGRESS, payloadJson, source, now));
  }

  /** Records that progress update {@code seq} of the build was handled (stored or not). */
  public void noteProgress(UUID id, long seq) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE builds SET progress_seq = GREATEST(progress_seq, :seq) WHERE id = :id")
                .bind("id", id)
                .bind("seq", seq)
                .execute());
  }

  /** The highest progress seq handled for the build; 0 when none or unknown. */
  public long progressSeq(UUID id) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT progress_seq FROM builds WHERE id = :id")
                .bind("id", id)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L));
  }

  /** Locks the build's row for the rest of the transaction (event appends need it). */
  public static Optional<BuildRecord> lock(Handle h, UUID id) {
    return h.createQuery("SELECT " + COLUMNS + " FROM builds WHERE id = :id FOR UPDATE")
        .bind("id", id)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static void save(Handle h, BuildRecord build) {
    BuildStatus status = build.status();
    h.createUpdate(
            "UPDATE builds SET state = :state, outcome = :outcome, hash = :hash, digest = :digest,"
                + " cache_ref = :cacheRef, builder = :builder, error = :error, message = :message,"
                + " context_digest = :contextDigest, updated_at = :updatedAt WHERE id = :id")
        .bind("id", build.id())
        .bind("state", status.state().name())
        .bind("outcome", status.outcome() == null ? null : status.outcome().name())
        .bind("hash", text(status.hash()))
        .bind("digest", text(status.digest()))
        .bind("cacheRef", status.cacheRef())
        .bind("builder", status.builder())
        .bind("error", status.error())
        .bind("message", status.message())
        .bind("contextDigest", text(build.contextDigest()))
        .bind("updatedAt", time(build.updatedAt()))
        .execute();
  }

  private static void appendState(Handle h, BuildRecord build) {
    BuildEventRepository.append(
        h,
        build.id(),
        BuildEvent.STATE,
        Json.writeString(BuildViews.state(build)),
        null,
        build.updatedAt());
  }

  private static BuildRecord map(ResultSet rs) throws SQLException {
    BuildParameters params;
    try {
      params = Json.MAPPER.readValue(rs.getString("params"), BuildParameters.class);
    } catch (JsonProcessingException e) {
      throw new SQLException("the params of build " + rs.getString("id") + " are not valid", e);
    }
    String outcome = rs.getString("outcome");
    BuildStatus status =
        new BuildStatus(
            BuildState.valueOf(rs.getString("state")),
            outcome == null ? null : BuildOutcome.valueOf(outcome),
            hash(rs.getString("hash")),
            digest(rs.getString("digest")),
            rs.getString("cache_ref"),
            rs.getString("builder"),
            rs.getString("error"),
            rs.getString("message"));
    return new BuildRecord(
        rs.getObject("id", UUID.class),
        rs.getString("org"),
        rs.getString("namespace"),
        rs.getString("image"),
        rs.getString("tag"),
        rs.getLong("sequence"),
        rs.getString("registry"),
        rs.getString("cache_namespace"),
        rs.getString("image_ref"),
        params,
        hash(rs.getString("client_hash")),
        digest(rs.getString("context_digest")),
        rs.getBoolean("no_cache"),
        rs.getBoolean("smart_builds"),
        status,
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }

  static OffsetDateTime time(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }

  private static BuildHash hash(String value) {
    return value == null ? null : BuildHash.parse(value);
  }

  private static Digest digest(String value) {
    return value == null ? null : Digest.parse(value);
  }
}
