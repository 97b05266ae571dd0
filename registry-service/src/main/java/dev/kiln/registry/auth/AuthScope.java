package dev.kiln.registry.auth;

import java.util.List;

/**
 * What a request needs access to: the registry host and the repository grants in the token-auth
 * scope syntax ({@code repository:<name>:pull,push}). Basic auth ignores the grants; a bearer-token
 * authenticator asks its token service for exactly them.
 *
 * @see <a href="https://distribution.github.io/distribution/spec/auth/scope/">token scope</a>
 */
public record AuthScope(String registry, List<String> grants) {

  public AuthScope {
    grants = List.copyOf(grants);
  }

  public static AuthScope pull(String registry, String repository) {
    return new AuthScope(registry, List.of(grant(repository, "pull")));
  }

  public static AuthScope push(String registry, String repository) {
    return new AuthScope(registry, List.of(grant(repository, "pull,push")));
  }

  /** A cross-repository mount needs push on the target and pull on the source. */
  public static AuthScope mount(String registry, String target, String source) {
    return new AuthScope(registry, List.of(grant(target, "pull,push"), grant(source, "pull")));
  }

  private static String grant(String repository, String actions) {
    return "repository:" + repository + ":" + actions;
  }
}
