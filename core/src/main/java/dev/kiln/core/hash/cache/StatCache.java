package dev.kiln.core.hash.cache;

import dev.kiln.core.context.FileStat;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Content digests of one context's files from earlier runs, so an unchanged tree is re-hashed from
 * {@code lstat} alone. A digest is reused only when the file's whole stat (size, mtime, ctime,
 * inode, mode) equals the one it was read under, and only when that stat is older than the run that
 * read it by {@link #RACY_MARGIN}: a write in the same timestamp tick as the read leaves the stat
 * unchanged (git's "racy clean" problem), so such a digest is never stored.
 *
 * <p>Not thread-safe: the hasher looks up and records on one thread, in path order (any order
 * works, path order is fastest). Obtain one from {@link StatCaches}, which starts reading the file
 * on a thread of its own ({@link StatCacheLoad}) so that the walk need not wait for it; {@link
 * #save()} writes it back atomically.
 */
public final class StatCache {

  /**
   * Covers coarse file timestamps (1 s on some filesystems, 2 s on FAT) and the kernel's timestamp
   * clock, which lags the wall clock by up to a scheduler tick.
   */
  public static final Duration RACY_MARGIN = Duration.ofSeconds(3);

  /** Paths no walk has seen for this many saves are dropped, so deleted files do not pile up. */
  static final int KEEP_GENERATIONS = 16;

  private static final StatCache DISABLED = new StatCache(null, "", 0);

  /** Reads the file; null for the disabled cache. */
  private final StatCacheLoad load;

  private final String contextPath;
  private final long trustedBeforeNanos;
  private final List<StatCacheWriter.Recorded> recorded = new ArrayList<>();

  /** Set by {@link #loaded()} once the load is done; null in the disabled cache. */
  private Path file;

  private StatCacheFile loaded;
  private int generation;
  private int cursor;
  private boolean changed;

  private StatCache(StatCacheLoad load, String contextPath, long trustedBeforeNanos) {
    this.load = load;
    this.contextPath = contextPath;
    this.trustedBeforeNanos = trustedBeforeNanos;
  }

  /** A cache that remembers nothing. */
  public static StatCache disabled() {
    return DISABLED;
  }

  /**
   * Starts loading the cache file of a context, kept in {@code dir} (missing, unreadable or
   * damaged: empty); the run starts now, before any file is read. The first lookup, record or save
   * waits for the load.
   *
   * @param contextPath the context's absolute path, stored in the file and checked on load
   */
  static StatCache load(Path dir, String contextPath, Clock clock) {
    Instant trustedBefore = clock.instant().minus(RACY_MARGIN);
    long nanos =
        Math.addExact(
            Math.multiplyExact(trustedBefore.getEpochSecond(), 1_000_000_000L),
            trustedBefore.getNano());
    return new StatCache(StatCacheLoad.start(dir, contextPath), contextPath, nanos);
  }

  public boolean enabled() {
    return load != null;
  }

  /** The file as loaded; waits for the load on first use. */
  private StatCacheFile loaded() {
    if (loaded == null) {
      if (load == null) {
        return StatCacheFile.EMPTY;
      }
      StatCacheLoad.Result result = load.join();
      file = result.file();
      loaded = result.contents();
      generation = loaded.generation() + 1;
    }
    return loaded;
  }

  /** The digest read under exactly this stat by an earlier run, or null to read the file. */
  public byte[] lookup(String path, FileStat stat) {
    StatCacheFile from = loaded();
    int index = from.find(path, cursor);
    if (index < 0) {
      return null;
    }
    cursor = index + 1;
    return from.reuse(index, stat, generation);
  }

  /** Remembers a digest just read under {@code stat}, unless the stat is too recent to trust. */
  public void record(String path, FileStat stat, byte[] sha256) {
    if (load == null) {
      return;
    }
    loaded();
    boolean trusted =
        stat.mtimeNanos() < trustedBeforeNanos && stat.ctimeNanos() < trustedBeforeNanos;
    // an untrusted read still replaces the stored entry, whose stat no longer matches anyway
    recorded.add(
        new StatCacheWriter.Recorded(
            path, stat, trusted ? sha256.clone() : null, trustedBeforeNanos, generation));
    changed = true;
  }

  /**
   * Writes the cache back when this run read anything: to a temporary file beside it, then renamed
   * over it, so readers see the old or the new file, never a torn one.
   */
  public void save() throws IOException {
    if (load == null || !changed) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        StatCacheWriter.write(
            out, contextPath, generation, loaded, recorded, generation - KEEP_GENERATIONS);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      changed = false;
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
