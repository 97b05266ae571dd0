package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a failure to read a node of a build context into an error that names the node and says what
 * the user can do, for the walker and for the hasher alike.
 */
public final class ContextReadErrors {

  /** Linux's PATH_MAX; longer absolute paths fail with ENAMETOOLONG whatever the locale says. */
  private static final int PATH_MAX_BYTES = 4096;

  private ContextReadErrors() {}

  /**
   * @param action what kiln tried, e.g. "hash" or "list"
   * @param path the node, relative to the context root ("." for the root)
   */
  public static KilnException of(String action, Path contextDir, String path, IOException e) {
    String tried = "tried to " + action + " " + path + " in the build context " + contextDir;
    if (e instanceof AccessDeniedException) {
      return new InvalidInputException(
          tried
              + " but permission was denied; fix its permissions (kiln reads every file the"
              + " context includes) or add it to .dockerignore",
          path,
          e);
    }
    if (e instanceof NoSuchFileException) {
      return changed(action, contextDir, path, "it disappeared while kiln read the context", e);
    }
    if (e instanceof FileSystemException fs && isTooLong(fs, contextDir, path)) {
      return new InvalidInputException(
          tried
              + " but its path is too long for this system ("
              + absoluteBytes(contextDir, path)
              + " bytes from the filesystem root); shorten it, or add a directory above it to"
              + " .dockerignore",
          path,
          e);
    }
    return new KilnException(
        tried
            + " but failed because "
            + e
            + "; check that it is readable, or add it to .dockerignore",
        e);
  }

  /**
   * A node that changed under kiln's feet: the hash would describe no state the tree was ever in.
   */
  public static InvalidInputException changed(
      String action, Path contextDir, String path, String how, Exception cause) {
    return new InvalidInputException(
        "tried to "
            + action
            + " "
            + path
            + " in the build context "
            + contextDir
            + " but "
            + how
            + "; run again once nothing is writing to the context, or add "
            + path
            + " to .dockerignore if it always changes",
        path,
        cause);
  }

  private static boolean isTooLong(FileSystemException e, Path contextDir, String path) {
    if ("File name too long".equals(e.getReason())) {
      return true;
    }
    return absoluteBytes(contextDir, path) >= PATH_MAX_BYTES;
  }

  /**
   * The length of the node's absolute path in bytes; its name may hold bytes that are not UTF-8.
   */
  private static int absoluteBytes(Path contextDir, String path) {
    String dir = contextDir.toAbsolutePath().toString();
    return dir.getBytes(StandardCharsets.UTF_8).length + 1 + ContextNames.byteLength(path);
  }
}
