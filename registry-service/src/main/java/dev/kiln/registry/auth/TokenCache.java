package dev.kiln.registry.auth;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bearer tokens per registry host and scope set, kept until they expire by the injected clock. A
 * token is only ever reused for exactly the scopes it was issued for.
 */
final class TokenCache {

  /** Enough for every repository kiln touches in a busy hour; beyond it expired ones go first. */
  private static final int MAX_ENTRIES = 4096;

  record Key(String registry, Set<String> scopes) {
    Key {
      scopes = Set.copyOf(scopes);
    }
  }

  private final Clock clock;
  private final ConcurrentMap<Key, BearerToken> tokens = new ConcurrentHashMap<>();

  TokenCache(Clock clock) {
    this.clock = clock;
  }

  Optional<BearerToken> get(Key key) {
    BearerToken token = tokens.get(key);
    if (token == null) {
      return Optional.empty();
    }
    if (!token.usableAt(clock.instant())) {
      tokens.remove(key, token);
      return Optional.empty();
    }
    return Optional.of(token);
  }

  void put(Key key, BearerToken token) {
    if (tokens.size() >= MAX_ENTRIES) {
      tokens.values().removeIf(t -> !t.usableAt(clock.instant()));
      if (tokens.size() >= MAX_ENTRIES) {
        tokens.clear();
      }
    }
    tokens.put(key, token);
  }

  void invalidate(Key key) {
    tokens.remove(key);
  }

  int size() {
    return tokens.size();
  }
}
