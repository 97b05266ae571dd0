package dev.kiln.core.context;

import java.util.Objects;

/**
 * One node of a build context, as it goes into the archive and into the build hash.
 *
 * @param path '/'-separated, relative to the context root, without a leading "./" or trailing "/"
 * @param kind what the node is
 * @param executable for files: the owner-execute bit (packed as 0755, else 0644); always false for
 *     directories and symlinks
 * @param sizeBytes content length for files, 0 otherwise
 * @param linkTarget the target text of a symlink; for a {@link Kind#FILE} read from an archive, the
 *     path of the earlier file it is a hard link to; null otherwise
 */
public record ContextEntry(
    String path, Kind kind, boolean executable, long sizeBytes, String linkTarget) {

  public enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK
  }

  public ContextEntry {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.SYMLINK) {
      Objects.requireNonNull(linkTarget, "linkTarget of a symlink");
    }
  }

  public static ContextEntry file(String path, boolean executable, long sizeBytes) {
    return new ContextEntry(path, Kind.FILE, executable, sizeBytes, null);
  }

  public static ContextEntry directory(String path) {
    return new ContextEntry(path, Kind.DIRECTORY, false, 0, null);
  }

  public static ContextEntry symlink(String path, String linkTarget) {
    return new ContextEntry(path, Kind.SYMLINK, false, 0, linkTarget);
  }

  /** True for a file read from an archive that is a hard link to an earlier file. */
  public boolean isHardLink() {
    return kind == Kind.FILE && linkTarget != null;
  }
}
