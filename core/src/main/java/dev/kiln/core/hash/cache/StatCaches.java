package dev.kiln.core.hash.cache;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Where the stat caches of a user live: one file per context directory, named by the sha256 of the
 * context's absolute path, under {@code $XDG_CACHE_HOME/kiln/stat} (or {@code ~/.cache/kiln/stat}).
 */
public final class StatCaches {

  private static final StatCaches DISABLED = new StatCaches(null, Clock.systemUTC());

  private final Path dir;
  private final Clock clock;

  private StatCaches(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /** Caches kept in {@code dir}; {@code clock} dates each run's start (see {@link StatCache}). */
  public static StatCaches in(Path dir, Clock clock) {
    return new StatCaches(dir.toAbsolutePath().normalize(), clock);
  }

  /**
   * The user's cache directory as the XDG base directory spec puts it: {@code $XDG_CACHE_HOME} when
   * it is an absolute path, else {@code <home>/.cache}.
   */
  public static StatCaches forUser(Map<String, String> env, Path home, Clock clock) {
    String xdg = env.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
            ? Path.of(xdg)
            : home.resolve(".cache");
    return in(base.resolve("kiln").resolve("stat"), clock);
  }

  /** No caching: every file is read on every run. */
  public static StatCaches disabled() {
    return DISABLED;
  }

  /**
   * The cache of one context directory, its file being read in the background from now on. It is
   * disabled when the cache directory lies inside the context, where writing it would change the
   * very tree it describes; and a cache that cannot be read is treated as empty.
   */
  public StatCache open(Path contextDir) {
    if (dir == null) {
      return StatCache.disabled();
    }
    Path context = realPath(contextDir);
    if (realPath(dir).startsWith(context)) {
      return StatCache.disabled();
    }
    return StatCache.load(dir, context.toString(), clock);
  }

  /** The path with symlinks resolved as far as it exists, so two spellings share one cache. */
  private static Path realPath(Path path) {
    Path absolute = path.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null) {
      try {
        return existing.toRealPath().resolve(existing.relativize(absolute));
      } catch (IOException e) {
        existing = existing.getParent();
      }
    }
    return absolute;
  }
}
