package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.KilnException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists what of a directory goes into a build context: the tree after {@code .dockerignore}, in
 * byte order of the paths, never following symlinks, with empty directories, plus the Dockerfile
 * and its directories even when they are ignored (BuildKit reads the Dockerfile from the archive).
 *
 * <p>Symlinks whose relative target climbs above the context root are refused here, as the gateway
 * refuses them in archives; absolute targets are kept.
 *
 * <p>An excluded directory is not even listed when no later '!' pattern could reach inside it, so
 * an ignored {@code node_modules} costs one stat. A directory that is excluded but holds a
 * re-included path is listed, as BuildKit lists it.
 */
public final class ContextWalker {

  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  public List<ContextEntry> walk(Path contextDir, DockerIgnore ignore, String dockerfilePath) {
    String dockerfile = ContextPaths.dockerfile(dockerfilePath);
    if (!Files.isDirectory(contextDir)) {
      throw new InvalidInputException(
          "the build context " + contextDir + " is not a directory; point context at one",
          "context");
    }
    boolean posix = contextDir.getFileSystem().supportedFileAttributeViews().contains("posix");
    List<ContextEntry> entries = new ArrayList<>();
    try {
      walkDirectory(contextDir, "", null, ignore, posix, entries);
      addDockerfile(contextDir, dockerfile, entries);
    } catch (IOException e) {
      throw new KilnException(
          "tried to list the build context "
              + contextDir
              + " but failed because "
              + e
              + "; check that it is readable",
          e);
    }
    entries.sort((a, b) -> ContextPaths.BYTE_ORDER.compare(a.path(), b.path()));
    return List.copyOf(entries);
  }

  /** Lists one directory's children; true when anything below it was listed. */
  private boolean walkDirectory(
      Path dir,
      String dirPath,
      DockerIgnore.Match dirMatch,
      DockerIgnore ignore,
      boolean posix,
      List<ContextEntry> entries)
      throws IOException {
    boolean listedAny = false;
    try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
      for (Path child : children) {
        String name = child.getFileName().toString();
        if (!decodesCleanly(child, name)) {
          throw undecodableName(dirPath, name);
        }
        String path = dirPath.isEmpty() ? name : dirPath + "/" + name;
        BasicFileAttributes attrs = readAttributes(child, posix);
        DockerIgnore.Match match = ignore.match(path, dirMatch);
        if (attrs.isDirectory()) {
          listedAny |= visitDirectory(child, path, match, ignore, posix, entries);
        } else if (!match.excluded()) {
          entries.add(nonDirectoryEntry(child, path, attrs));
          listedAny = true;
        }
      }
    }
    return listedAny;
  }

  private boolean visitDirectory(
      Path dir,
      String path,
      DockerIgnore.Match match,
      DockerIgnore ignore,
      boolean posix,
      List<ContextEntry> entries)
      throws IOException {
    if (!match.excluded()) {
      entries.add(ContextEntry.directory(path));
      walkDirectory(dir, path, match, ignore, posix, entries);
      return true;
    }
    if (!ignore.mayIncludeBelow(path, match)) {
      return false;
    }
    boolean reincluded = walkDirectory(dir, path, match, ignore, posix, entries);
    if (reincluded) {
      entries.add(ContextEntry.directory(path));
    }
    return reincluded;
  }

  /** U+FFFD stands in for bytes the JVM could not decode; a real U+FFFD survives re-encoding. */
  private static boolean decodesCleanly(Path child, String name) {
    if (name.indexOf('\uFFFD') < 0) {
      return true;
    }
    try {
      return child.getFileName().equals(child.getFileSystem().getPath(name));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  private static InvalidInputException undecodableName(String dirPath, String name) {
    return new InvalidInputException(
        "the build context holds a file name that is not valid UTF-8 in '"
            + (dirPath.isEmpty() ? "." : dirPath)
            + "' (read as '"
            + name
            + "'); rename it, or run kiln with a UTF-8 locale (such as LANG=C.UTF-8) if the name"
            + " is valid; the JVM decodes file names as "
            + System.getProperty("sun.jnu.encoding"),
        dirPath);
  }

  private static ContextEntry nonDirectoryEntry(Path file, String path, BasicFileAttributes attrs)
      throws IOException {
    if (attrs.isSymbolicLink()) {
      String target = Files.readSymbolicLink(file).toString();
      if (target.isEmpty() || ArchivePaths.climbsAboveRoot(path, target)) {
        // the gateway refuses such archives; say so here, where the user can act on it
        throw new InvalidInputException(
            "the build context holds the symlink "
                + path
                + " -> "
                + target
                + ", which points above the context root; kiln refuses such links, so add it to"
                + " .dockerignore or make it point inside the context (absolute targets are fine)",
            path);
      }
      return ContextEntry.symlink(path, target);
    }
    if (attrs.isRegularFile()) {
      boolean executable =
          attrs instanceof PosixFileAttributes posixAttrs
              && posixAttrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
      return ContextEntry.file(path, executable, attrs.size());
    }
    throw new InvalidInputException(
        "the build context holds "
            + path
            + ", a socket, pipe or device, which cannot go into an archive; add it to"
            + " .dockerignore",
        path);
  }

  private static BasicFileAttributes readAttributes(Path file, boolean posix) throws IOException {
    return posix
        ? Files.readAttributes(file, PosixFileAttributes.class, NO_FOLLOW)
        : Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
  }

  /** Puts the Dockerfile and its directories in even when the ignore rules left them out. */
  private static void addDockerfile(Path contextDir, String dockerfile, List<ContextEntry> entries)
      throws IOException {
    Set<String> listed = new HashSet<>();
    for (ContextEntry entry : entries) {
      listed.add(entry.path());
    }
    if (listed.contains(dockerfile)) {
      return;
    }
    String[] parts = dockerfile.split("/");
    String path = "";
    for (int i = 0; i < parts.length - 1; i++) {
      path = path.isEmpty() ? parts[i] : path + "/" + parts[i];
      Path dir = contextDir.resolve(path);
      if (!Files.isDirectory(dir, NO_FOLLOW)) {
        throw dockerfileMissing(contextDir, dockerfile, path + " is not a directory");
      }
      if (listed.add(path)) {
        entries.add(ContextEntry.directory(path));
      }
    }
    Path file = contextDir.resolve(dockerfile);
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, NO_FOLLOW);
    } catch (NoSuchFileException e) {
      throw dockerfileMissing(contextDir, dockerfile, "it does not exist");
    }
    if (!attrs.isRegularFile()) {
      throw dockerfileMissing(contextDir, dockerfile, "it is not a regular file");
    }
    boolean posix = contextDir.getFileSystem().supportedFileAttributeViews().contains("posix");
    entries.add(nonDirectoryEntry(file, dockerfile, readAttributes(file, posix)));
  }

  private static InvalidInputException dockerfileMissing(
      Path contextDir, String dockerfile, String why) {
    return new InvalidInputException(
        "the Dockerfile "
            + dockerfile
            + " is not in the context "
            + contextDir
            + " ("
            + why
            + "); check the dockerfile path, which is relative to the context",
        "dockerfile");
  }
}
