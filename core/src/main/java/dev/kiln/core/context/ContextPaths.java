package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Rules for paths inside a build context, shared by the walker, the archive and the hasher. */
public final class ContextPaths {

  public static final String DEFAULT_DOCKERFILE = "Dockerfile";

  /**
   * The longest path (and symlink target) a context may hold, in bytes: Linux's PATH_MAX, which
   * BuildKit's snapshotters cannot go past when they unpack the context.
   */
  public static final int MAX_PATH_BYTES = 4096;

  /**
   * The longest path component a context may hold, in bytes: Linux's NAME_MAX. BuildKit fails on a
   * longer name only deep inside the unpack, with an unrelated-looking stream error.
   */
  public static final int MAX_NAME_BYTES = 255;

  /**
   * Orders paths by their bytes ({@link ContextNames}), which is how entries are sorted in archives
   * and in the hash, independent of the platform's collation.
   */
  public static final Comparator<String> BYTE_ORDER = ContextNames::compare;

  private ContextPaths() {}

  /**
   * Cleans a Dockerfile path given relative to the context ("./docker//Dockerfile" becomes
   * "docker/Dockerfile"; empty means "Dockerfile") and rejects one that leaves the context.
   */
  public static String dockerfile(String dockerfilePath) {
    if (dockerfilePath == null || dockerfilePath.isBlank()) {
      return DEFAULT_DOCKERFILE;
    }
    String text = dockerfilePath;
    if (text.startsWith("/")) {
      throw new InvalidInputException(
          "the dockerfile path '"
              + dockerfilePath
              + "' is absolute; give it relative to the build context",
          "dockerfile");
    }
    List<String> parts = new ArrayList<>();
    for (String part : text.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        throw new InvalidInputException(
            "the dockerfile path '"
                + dockerfilePath
                + "' contains '..', which may leave the build context; name the Dockerfile"
                + " by its path inside the context",
            "dockerfile");
      }
      parts.add(part);
    }
    if (parts.isEmpty()) {
      throw new InvalidInputException(
          "the dockerfile path '" + dockerfilePath + "' names the context itself; name a file",
          "dockerfile");
    }
    return String.join("/", parts);
  }

  /** Whether a path is longer than {@link #MAX_PATH_BYTES} bytes. */
  public static boolean tooLong(String path) {
    // a UTF-16 unit takes at most 3 bytes, so most paths need no encoding to be judged
    if (path.length() * 3L <= MAX_PATH_BYTES) {
      return false;
    }
    return ContextNames.byteLength(path) > MAX_PATH_BYTES;
  }

  /** The byte length of a path component when it is over {@link #MAX_NAME_BYTES}, else 0. */
  static int overlongName(String name) {
    if (name.length() * 3L <= MAX_NAME_BYTES) {
      return 0;
    }
    int bytes = ContextNames.byteLength(name);
    return bytes > MAX_NAME_BYTES ? bytes : 0;
  }

  /**
   * Whether a relative symlink target, resolved lexically from the link's directory, leaves the
   * context root; kiln refuses such links. Absolute targets never do: they name paths in the image.
   */
  public static boolean linkClimbsAboveRoot(String linkPath, String target) {
    return ArchivePaths.climbsAboveRoot(linkPath, target);
  }
}
