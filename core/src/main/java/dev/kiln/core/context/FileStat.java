package dev.kiln.core.context;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What {@code lstat} says about one node, as far as kiln uses it: the kind and the owner-execute
 * bit for the walker, and enough to notice that a file changed (the stat cache and the change check
 * while hashing compare whole records).
 *
 * @param sizeBytes the size of a file; for other kinds whatever the filesystem reports
 * @param mtimeNanos last modification, nanoseconds since the epoch
 * @param ctimeNanos last status change, nanoseconds since the epoch; equal to {@code mtimeNanos}
 *     where the filesystem has no ctime
 * @param inode the inode number, 0 where the filesystem has none
 * @param mode Unix {@code st_mode}: the file type bits and the permission bits
 */
public record FileStat(long sizeBytes, long mtimeNanos, long ctimeNanos, long inode, int mode) {

  static final int TYPE_MASK = 0170000;
  static final int TYPE_DIRECTORY = 0040000;
  static final int TYPE_FILE = 0100000;
  static final int TYPE_SYMLINK = 0120000;
  static final int OWNER_EXECUTE = 0100;

  private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,ctime,ino,mode";
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  /**
   * Written out because the generated one dispatches through method handles, which a short CLI run
   * pays for 100k times before the JIT catches up.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof FileStat that
        && sizeBytes == that.sizeBytes
        && mtimeNanos == that.mtimeNanos
        && ctimeNanos == that.ctimeNanos
        && inode == that.inode
        && mode == that.mode;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sizeBytes * 31 + mtimeNanos) * 31 + Long.hashCode(inode) + mode;
  }

  public boolean isDirectory() {
    return (mode & TYPE_MASK) == TYPE_DIRECTORY;
  }

  public boolean isRegularFile() {
    return (mode & TYPE_MASK) == TYPE_FILE;
  }

  public boolean isSymbolicLink() {
    return (mode & TYPE_MASK) == TYPE_SYMLINK;
  }

  /** The one permission bit that reaches the archive and the hash. */
  public boolean ownerExecutable() {
    return (mode & OWNER_EXECUTE) != 0;
  }

  /** Reads the node itself, never what a symlink points to. */
  public static FileStat read(Path path) throws IOException {
    return read(path, hasUnixView(path.getFileSystem()));
  }

  /**
   * Reads the node itself with one {@code lstat}.
   *
   * @param unixView whether the filesystem offers the "unix" attribute view (Linux and macOS do);
   *     without it, inode and ctime are unknown and the mode is made up from the kind and, where
   *     available, the POSIX permissions
   */
  static FileStat read(Path path, boolean unixView) throws IOException {
    if (unixView) {
      Map<String, Object> attrs = Files.readAttributes(path, UNIX_ATTRIBUTES, NO_FOLLOW);
      return new FileStat(
          (Long) attrs.get("size"),
          nanos((FileTime) attrs.get("lastModifiedTime")),
          nanos((FileTime) attrs.get("ctime")),
          (Long) attrs.get("ino"),
          (Integer) attrs.get("mode"));
    }
    BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW);
    int mode = 0;
    if (attrs.isDirectory()) {
      mode = TYPE_DIRECTORY | 0755;
    } else if (attrs.isRegularFile()) {
      mode = TYPE_FILE | 0644;
    } else if (attrs.isSymbolicLink()) {
      mode = TYPE_SYMLINK | 0777;
    }
    if (attrs.isRegularFile()
        && path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      PosixFileAttributes posix = Files.readAttributes(path, PosixFileAttributes.class, NO_FOLLOW);
      if (posix.permissions().contains(PosixFilePermission.OWNER_EXECUTE)) {
        mode |= OWNER_EXECUTE;
      }
    }
    long mtime = nanos(attrs.lastModifiedTime());
    return new FileStat(attrs.size(), mtime, mtime, 0, mode);
  }

  static boolean hasUnixView(FileSystem fileSystem) {
    return fileSystem.supportedFileAttributeViews().contains("unix");
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }
}
