package dev.kiln.cli.gateway;

/** The answer of {@code GET /v1/whoami}: what the token belongs to. */
public record WhoAmI(String org, String namespace, String registry, String cacheNamespace) {

  /** The build hash's cache scope, {@code "<org>/<cache namespace>"} (docs/architecture.md). */
  public String cacheScope() {
    return org + "/" + cacheNamespace;
  }
}
