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
 * works, path order is fastest). Obtain one from {@link StatCaches}; {@link #save()} writes it back
 * atomically.
 */
public final class StatCache {

  /**
   * Covers coarse file timestamps (1 s on some filesystems, 2 s on FAT) and the kernel's timestamp
   * clock, which lags the wall clock by up to a scheduler tick.
   */
  public static final Duration RACY_MARGIN = Duration.ofSeconds(3);

  /** Paths no walk has seen for this many saves are dropped, so deleted files do not pile up. */
  static final int KEEP_GENERATIONS = 16;

  private static final StatCache DISABLED = new StatCache(null, "", StatCacheFile.EMPTY, 0);

  private final Path file;
  private final String contextPath;
  private final StatCacheFile loaded;
  private final int generation;
  private final long trustedBeforeNanos;
  private final List<StatCacheWriter.Recorded> recorded = new ArrayList<>();
  private int cursor;
  private boolean changed;

  private StatCache(Path file, String contextPath, StatCacheFile loaded, long trustedBeforeNanos) {
    this.file = file;
    this.contextPath = contextPath;
    this.loaded = loaded;
    this.generation = loaded.generation() + 1;
    this.trustedBeforeNanos = trustedBeforeNanos;
  }

  /** A cache that remembers nothing. */
  public static StatCache disabled() {
    return DISABLED;
  }

  /**
   * Loads the cache file of a context (missing, unreadable or damaged: empty); the run starts now,
   * before any file is read.
   *
   * @param contextPath the context's absolute path, stored in the file and checked on load
   */
  static StatCache load(Path file, String contextPath, Clock clock) {
    Instant runStart = clock.instant();
    StatCacheFile contents;
    try {
      contents = StatCacheFile.read(file, contextPath);
    } catch (IOException e) {
      // an unreadable cache only costs time; the next save tries to replace it
      contents = StatCacheFile.EMPTY;
    }
    Instant trustedBefore = runStart.minus(RACY_MARGIN);
    long nanos =
        Math.addExact(
            Math.multiplyExact(trustedBefore.getEpochSecond(), 1_000_000_000L),
            trustedBefore.getNano());
    return new StatCache(file, contextPath, contents, nanos);
  }

  public boolean enabled() {
    return file != null;
  }

  /** The digest read under exactly this stat by an earlier run, or null to read the file. */
  public byte[] lookup(String path, FileStat stat) {
    int index = loaded.find(path, cursor);
    if (index < 0) {
      return null;
    }
    cursor = index + 1;
    if (!loaded.statEquals(index, stat) || !loaded.trusted(index)) {
      return null;
    }
    loaded.markSeen(index, generation);
    return loaded.digest(index);
  }

  /** Remembers a digest just read under {@code stat}, unless the stat is too recent to trust. */
  public void record(String path, FileStat stat, byte[] sha256) {
    if (file == null) {
      return;
    }
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
    if (file == null || !changed) {
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
