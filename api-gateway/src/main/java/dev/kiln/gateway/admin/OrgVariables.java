package dev.kiln.gateway.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Admin variables per organisation, applied by the gateway to every request of that organisation as
 * if each user had set them (DESIGN.md section 4).
 */
public final class OrgVariables {
  public static final String SMART_BUILDS = "KILN_SMART_BUILDS_ENABLED";
  public static final String SMART_BUILDS_OKTETO = "OKTETO_SMART_BUILDS_ENABLED";
  public static final String CACHE_NAMESPACE = "KILN_CACHE_NAMESPACE";

  private final Jdbi jdbi;
  private final String defaultCacheNamespace;

  public OrgVariables(Jdbi jdbi, String defaultCacheNamespace) {
    this.jdbi = jdbi;
    this.defaultCacheNamespace = defaultCacheNamespace;
  }

  public void put(String org, String name, String value, Instant now) {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "INSERT INTO admin_variables (org, name, value, updated_at)"
                        + " VALUES (:org, :name, :value, :now)"
                        + " ON CONFLICT (org, name)"
                        + " DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at")
                .bind("org", org)
                .bind("name", name)
                .bind("value", value)
                .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .execute());
  }

  public Optional<String> get(String org, String name) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT value FROM admin_variables WHERE org = :org AND name = :name")
                .bind("org", org)
                .bind("name", name)
                .mapTo(String.class)
                .findOne());
  }

  /** False when either spelling of the smart-builds variable is set to a false value. */
  public boolean smartBuildsEnabled(String org) {
    return !(isFalse(get(org, SMART_BUILDS)) || isFalse(get(org, SMART_BUILDS_OKTETO)));
  }

  /** The organisation's cache namespace: its admin variable, else the gateway default. */
  public String cacheNamespace(String org) {
    return get(org, CACHE_NAMESPACE).orElse(defaultCacheNamespace);
  }

  private static boolean isFalse(Optional<String> value) {
    return value.map(v -> parseBoolean(v).orElse(true) == Boolean.FALSE).orElse(false);
  }

  /** true/false, 1/0, yes/no, on/off in any case; empty for anything else. */
  public static Optional<Boolean> parseBoolean(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> Optional.of(true);
      case "false", "0", "no", "off" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
