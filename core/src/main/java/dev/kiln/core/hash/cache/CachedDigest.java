package dev.kiln.core.hash.cache;

import dev.kiln.core.context.FileStat;

/**
 * A file's content digest as an earlier run read it.
 *
 * @param stat what {@code lstat} said when the content was read
 * @param sha256 the content's digest, 32 bytes
 * @param trustedBeforeNanos the start of the run that read it, minus {@link StatCache#RACY_MARGIN}:
 *     the digest is only trusted for a stat whose mtime and ctime are both earlier, because a write
 *     in the same timestamp tick as the read could leave the stat unchanged
 * @param lastSeen the generation of the cache file that last saw this path in a walk
 */
record CachedDigest(FileStat stat, byte[] sha256, long trustedBeforeNanos, int lastSeen) {

  boolean trusted() {
    return stat.mtimeNanos() < trustedBeforeNanos && stat.ctimeNanos() < trustedBeforeNanos;
  }

  CachedDigest seenIn(int generation) {
    return generation == lastSeen
        ? this
        : new CachedDigest(stat, sha256, trustedBeforeNanos, generation);
  }
}
