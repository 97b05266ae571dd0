package dev.kiln.registry.auth;

import dev.kiln.registry.auth.AuthenticationFailedException.Reason;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Authenticates the way each registry asks to: the first request to a host goes out anonymously;
 * its {@code WWW-Authenticate} challenge tells whether the host wants basic credentials or a bearer
 * token from a token service. From then on that host gets basic credentials up front, or a token
 * for exactly the request's scopes, cached per host and scope set until it expires.
 */
public final class ChallengeAuthenticator implements RegistryAuthenticator {

  /** How a host authenticates, learned from its challenge. */
  private sealed interface HostAuth {}

  private record Basic() implements HostAuth {}

  private record Bearer(URI realm, String service) implements HostAuth {}

  private final CredentialStore credentials;
  private final TokenClient tokens;
  private final TokenCache cache;
  private final ConcurrentMap<String, HostAuth> hosts = new ConcurrentHashMap<>();

  public ChallengeAuthenticator(CredentialStore credentials, TokenClient tokens, Clock clock) {
    this.credentials = credentials;
    this.tokens = tokens;
    this.cache = new TokenCache(clock);
  }

  @Override
  public Optional<String> authorization(AuthScope scope) {
    HostAuth auth = hosts.get(host(scope));
    return switch (auth) {
      case null -> Optional.empty();
      case Basic basic -> credentials.lookup(scope.registry()).map(BasicAuthenticator::header);
      case Bearer bearer -> Optional.of("Bearer " + token(scope, bearer, List.of()).value());
    };
  }

  @Override
  public boolean refresh(AuthScope scope, String header) {
    List<Challenge> challenges = Challenge.parse(header);
    Optional<Challenge> bearer =
        challenges.stream().filter(c -> c.isBearer() && c.param("realm").isPresent()).findFirst();
    if (bearer.isPresent()) {
      Bearer learned =
          new Bearer(realm(bearer.get(), scope), bearer.get().param("service").orElse(""));
      hosts.put(host(scope), learned);
      // the registry refused what was sent: a cached token for these scopes is no good any more
      cache.invalidate(key(scope));
      List<String> asked =
          bearer
              .get()
              .param("scope")
              .map(s -> Arrays.asList(s.trim().split("\\s+")))
              .orElse(List.of());
      token(scope, learned, asked);
      return true;
    }
    if (challenges.stream().anyMatch(Challenge::isBasic)) {
      HostAuth before = hosts.put(host(scope), new Basic());
      // credentials already sent and refused: sending them again changes nothing
      return !(before instanceof Basic) && credentials.lookup(scope.registry()).isPresent();
    }
    return false;
  }

  /** The cached token for the scope, or a fresh one asked for the scope plus {@code extra}. */
  private BearerToken token(AuthScope scope, Bearer bearer, List<String> extra) {
    TokenCache.Key key = key(scope);
    Optional<BearerToken> cached = cache.get(key);
    if (cached.isPresent()) {
      return cached.get();
    }
    Set<String> scopes = new LinkedHashSet<>(scope.grants());
    extra.stream().filter(s -> !s.isEmpty()).forEach(scopes::add);
    BearerToken fresh =
        tokens.fetch(
            bearer.realm(),
            bearer.service(),
            scopes,
            credentials.lookup(scope.registry()),
            scope.registry());
    cache.put(key, fresh);
    return fresh;
  }

  private static URI realm(Challenge challenge, AuthScope scope) {
    String realm = challenge.param("realm").orElseThrow();
    try {
      URI uri = new URI(realm);
      if (uri.isAbsolute()
          && (uri.getScheme().equalsIgnoreCase("https") || uri.getScheme().equalsIgnoreCase("http"))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new AuthenticationFailedException(
        Reason.INVALID_RESPONSE,
        "tried to authenticate to "
            + scope.registry()
            + " but its challenge names the token realm '"
            + realm
            + "', which is not an http(s) URL; fix the registry's auth configuration");
  }

  private static String host(AuthScope scope) {
    return scope.registry().toLowerCase(Locale.ROOT);
  }

  private static TokenCache.Key key(AuthScope scope) {
    return new TokenCache.Key(host(scope), Set.copyOf(scope.grants()));
  }

  /** Tokens held, for tests. */
  int cachedTokens() {
    return cache.size();
  }
}
