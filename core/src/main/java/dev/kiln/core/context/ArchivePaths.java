package dev.kiln.core.context;

import dev.kiln.core.context.ContextArchive.Node;
import dev.kiln.core.context.ContextEntry.Kind;
import java.util.Map;

/** Path rules for entries of an uploaded archive. */
final class ArchivePaths {

  private ArchivePaths() {}

  /**
   * The entry's context path: a leading "./" and trailing slashes go; absolute paths, ".."
   * components and empty or "." components elsewhere are refused. The root itself is "".
   */
  static String clean(String name) {
    if (name.indexOf('\0') >= 0) {
      throw refuse(name.replace('\0', '?'), "holds a NUL byte in its path");
    }
    if (ContextPaths.tooLong(name)) {
      throw refuse(
          abbreviate(name),
          "has a path longer than " + ContextPaths.MAX_PATH_BYTES + " bytes; shorten it");
    }
    if (name.startsWith("/")) {
      throw refuse(name, "is an absolute path; archive paths must be relative to the context");
    }
    String path = name;
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (path.equals(".")) {
      return "";
    }
    if (path.startsWith("./")) {
      path = path.substring(2);
    }
    if (path.isEmpty()) {
      throw refuse(name, "has an empty path");
    }
    for (String part : path.split("/", -1)) {
      if (part.equals("..")) {
        throw refuse(name, "climbs out of the context through '..'");
      }
      if (part.isEmpty() || part.equals(".")) {
        throw refuse(name, "is not a clean path (empty or '.' component)");
      }
      int bytes = ContextPaths.overlongName(part);
      if (bytes > 0) {
        throw refuse(
            abbreviate(name),
            "has a path component of "
                + bytes
                + " bytes; file names are limited to "
                + ContextPaths.MAX_NAME_BYTES
                + " bytes, shorten it");
      }
    }
    return path;
  }

  /** Relative targets are resolved from the link's directory and must stay inside the root. */
  static void checkSymlink(String path, String target) {
    if (target.isEmpty()) {
      throw refuse(path, "is a symlink with an empty target");
    }
    if (ContextPaths.tooLong(target)) {
      throw refuse(
          path,
          "is a symlink whose target is longer than " + ContextPaths.MAX_PATH_BYTES + " bytes");
    }
    if (target.indexOf('\0') >= 0) {
      throw refuse(path, "is a symlink whose target holds a NUL byte");
    }
    if (climbsAboveRoot(path, target)) {
      throw refuse(path, "is a symlink to '" + target + "', which points above the context root");
    }
  }

  /**
   * Whether a relative symlink target, resolved lexically from the link's directory, leaves the
   * context root. Absolute targets never do: they name paths inside the image's filesystem.
   */
  static boolean climbsAboveRoot(String path, String target) {
    if (target.startsWith("/")) {
      return false;
    }
    int depth = path.split("/").length - 1;
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        depth--;
        if (depth < 0) {
          return true;
        }
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
    }
    return false;
  }

  static String hardLinkTarget(String path, String linkName, Map<String, Node> nodes) {
    String target;
    try {
      target = clean(linkName);
    } catch (InvalidContextException e) {
      throw refuse(path, "is a hard link to '" + linkName + "', outside the archive");
    }
    Node node = nodes.get(target);
    if (node == null || !node.explicit() || node.kind() != Kind.FILE) {
      throw refuse(
          path,
          "is a hard link to '" + linkName + "', which is not an earlier file of the archive");
    }
    return target;
  }

  /**
   * Records the entry, refusing duplicates and entries below anything but a directory (writing
   * below a symlink is how archives escape their root).
   */
  static void claim(Map<String, Node> nodes, ContextEntry entry, long mode) {
    String path = entry.path();
    for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
      String parent = path.substring(0, slash);
      Node node = nodes.get(parent);
      if (node == null) {
        nodes.put(parent, new Node(Kind.DIRECTORY, false, false, 0));
      } else if (node.kind() != Kind.DIRECTORY) {
        throw refuse(
            path,
            "lies below "
                + parent
                + ", which is a "
                + node.kind().name().toLowerCase()
                + ", not a directory");
      }
    }
    Node existing = nodes.get(path);
    if (existing != null && (existing.explicit() || entry.kind() != Kind.DIRECTORY)) {
      throw refuse(path, "appears more than once (or replaces a directory)");
    }
    nodes.put(path, new Node(entry.kind(), true, entry.executable(), entry.sizeBytes()));
  }

  /** The start and the end of an overlong path, enough to find it. */
  static String abbreviate(String path) {
    return path.length() <= 200
        ? path
        : path.substring(0, 100) + "..." + path.substring(path.length() - 100);
  }

  private static InvalidContextException refuse(String entry, String problem) {
    return new InvalidContextException(
        "the context archive entry '" + entry + "' " + problem + "; kiln refuses the archive");
  }
}
