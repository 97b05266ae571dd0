package dev.kiln.gateway.namespace;

import dev.kiln.gateway.admin.OrgVariables;
import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.namespace.NamespaceOwners.Owner;
import java.time.Clock;

/**
 * Claims registry namespaces for the three actions that use one, answering 409 when the namespace
 * is another organisation's or of the other kind. Messages never name the other organisation.
 */
public final class NamespaceClaims {
  private final NamespaceOwners owners;
  private final Clock clock;

  public NamespaceClaims(NamespaceOwners owners, Clock clock) {
    this.owners = owners;
    this.clock = clock;
  }

  /** A token is being created for {@code namespace} of {@code org}. */
  public void forToken(String org, String namespace) {
    Owner owner = owners.claim(namespace, org, NamespaceKind.USER, clock.instant());
    if (!owner.org().equals(org)) {
      throw ApiException.conflict(
          "the namespace '"
              + namespace
              + "' belongs to another organisation, so organisation '"
              + org
              + "' cannot get tokens for it; choose another namespace");
    }
    if (owner.kind() == NamespaceKind.CACHE) {
      throw ApiException.conflict(
          "the namespace '"
              + namespace
              + "' is a cache namespace of organisation '"
              + org
              + "' and cannot hold namespace tags; choose another namespace for the token");
    }
  }

  /** An admin sets {@code cacheNamespace} as the KILN_CACHE_NAMESPACE of {@code org}. */
  public void forCacheVariable(String org, String cacheNamespace) {
    Owner owner = owners.claim(cacheNamespace, org, NamespaceKind.CACHE, clock.instant());
    if (!owner.org().equals(org)) {
      throw ApiException.conflict(
          "the namespace '"
              + cacheNamespace
              + "' belongs to another organisation, so organisation '"
              + org
              + "' cannot use it as its cache namespace; choose another "
              + OrgVariables.CACHE_NAMESPACE);
    }
    if (owner.kind() == NamespaceKind.USER) {
      throw ApiException.conflict(
          "the namespace '"
              + cacheNamespace
              + "' is a user namespace of organisation '"
              + org
              + "' (it has tokens) and cannot hold cache images; choose another "
              + OrgVariables.CACHE_NAMESPACE);
    }
  }

  /**
   * A build of {@code org} is accepted in {@code namespace} with {@code cacheNamespace} (explicit
   * or the gateway default): the first must be a user namespace of the org, the second a cache
   * namespace of it.
   */
  public void forBuild(String org, String namespace, String cacheNamespace) {
    Owner user = owners.claim(namespace, org, NamespaceKind.USER, clock.instant());
    if (!user.org().equals(org) || user.kind() != NamespaceKind.USER) {
      throw ApiException.conflict(
          "the namespace '"
              + namespace
              + "' is not a user namespace of organisation '"
              + org
              + "', so its tokens cannot build there; ask your kiln admin for a token of another"
              + " namespace");
    }
    Owner cache = owners.claim(cacheNamespace, org, NamespaceKind.CACHE, clock.instant());
    String fix =
        "an admin sets "
            + OrgVariables.CACHE_NAMESPACE
            + " for organisation '"
            + org
            + "' (PUT /v1/admin/orgs/"
            + org
            + "/variables/"
            + OrgVariables.CACHE_NAMESPACE
            + ")";
    if (!cache.org().equals(org)) {
      throw ApiException.conflict(
          "the cache namespace '" + cacheNamespace + "' belongs to another organisation; " + fix);
    }
    if (cache.kind() != NamespaceKind.CACHE) {
      throw ApiException.conflict(
          "the cache namespace '"
              + cacheNamespace
              + "' is a user namespace of organisation '"
              + org
              + "'; "
              + fix);
    }
  }
}
