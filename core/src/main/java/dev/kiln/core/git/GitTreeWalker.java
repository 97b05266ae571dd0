package dev.kiln.core.git;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.ContextEntry;
import dev.kiln.core.context.ContextNames;
import dev.kiln.core.context.ContextPaths;
import dev.kiln.core.context.DockerIgnore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Lists a git tree the way {@link dev.kiln.core.context.ContextWalker} lists a checkout of it: the
 * same ignore rules folded the same way, the same pruning of excluded directories, the Dockerfile
 * and its directories always in, sorted by path bytes. Git modes map to kinds: 100644 file, 100755
 * executable file, 120000 symlink (the blob is the target text), 040000 directory. Git has no empty
 * directories, so neither does a listing of a tree. Submodules (160000) are refused when included:
 * their content lives in another repository.
 */
final class GitTreeWalker {

  private final ObjectReader reader;
  private final DockerIgnore ignore;
  private final String where;
  private final List<ContextEntry> entries = new ArrayList<>();
  private final Map<String, ObjectId> blobs = new HashMap<>();

  GitTreeWalker(ObjectReader reader, DockerIgnore ignore, String where) {
    this.reader = reader;
    this.ignore = ignore;
    this.where = where;
  }

  /** The sorted entries, and the blob of every file among them. */
  record Listing(List<ContextEntry> entries, Map<String, ObjectId> blobs) {}

  Listing walk(ObjectId tree, String dockerfile) throws IOException {
    walkTree(tree, "", null);
    addDockerfile(tree, dockerfile);
    entries.sort((a, b) -> ContextPaths.BYTE_ORDER.compare(a.path(), b.path()));
    return new Listing(List.copyOf(entries), Map.copyOf(blobs));
  }

  /** Lists one tree's children; true when anything below it was listed. */
  private boolean walkTree(ObjectId tree, String dirPath, DockerIgnore.Match dirMatch)
      throws IOException {
    boolean listedAny = false;
    CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, tree);
    for (; !parser.eof(); parser.next()) {
      String path = childPath(dirPath, parser);
      FileMode mode = parser.getEntryFileMode();
      DockerIgnore.Match match = ignore.match(path, dirMatch);
      if (mode == FileMode.TREE) {
        listedAny |= visitTree(parser.getEntryObjectId(), path, match);
      } else if (!match.excluded()) {
        entries.add(nonTreeEntry(path, mode, parser.getEntryObjectId()));
        listedAny = true;
      }
    }
    return listedAny;
  }

  private boolean visitTree(ObjectId tree, String path, DockerIgnore.Match match)
      throws IOException {
    if (!match.excluded()) {
      entries.add(ContextEntry.directory(path));
      walkTree(tree, path, match);
      return true;
    }
    if (!ignore.mayIncludeBelow(path, match)) {
      return false;
    }
    boolean reincluded = walkTree(tree, path, match);
    if (reincluded) {
      entries.add(ContextEntry.directory(path));
    }
    return reincluded;
  }

  private ContextEntry nonTreeEntry(String path, FileMode mode, ObjectId id) throws IOException {
    if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
      blobs.put(path, id);
      long size = reader.getObjectSize(id, Constants.OBJ_BLOB);
      return ContextEntry.file(path, mode == FileMode.EXECUTABLE_FILE, size);
    }
    if (mode == FileMode.SYMLINK) {
      String target = ContextNames.decode(reader.open(id, Constants.OBJ_BLOB).getBytes());
      if (target.isEmpty() || ContextPaths.linkClimbsAboveRoot(path, target)) {
        throw new InvalidInputException(
            where
                + " holds the symlink "
                + path
                + " -> "
                + target
                + ", which points above the context root; kiln refuses such links, so add it to"
                + " .dockerignore or make it point inside the context (absolute targets are fine)",
            path);
      }
      return ContextEntry.symlink(path, target);
    }
    if (mode == FileMode.GITLINK) {
      throw new InvalidInputException(
          where
              + " holds the submodule "
              + path
              + " (commit "
              + id.name()
              + "), whose files live in another repository; kiln does not build from"
              + " submodules, so add it to .dockerignore or vendor its files",
          path);
    }
    throw new InvalidInputException(
        where + " holds " + path + " with the unknown git mode " + mode + "; remove it", path);
  }

  /** Puts the Dockerfile and its directories in even when the ignore rules left them out. */
  private void addDockerfile(ObjectId root, String dockerfile) throws IOException {
    if (entries.stream().anyMatch(e -> e.path().equals(dockerfile))) {
      return;
    }
    String[] parts = dockerfile.split("/");
    ObjectId tree = root;
    String path = "";
    for (int i = 0; i < parts.length; i++) {
      path = path.isEmpty() ? parts[i] : path + "/" + parts[i];
      CanonicalTreeParser parser = new CanonicalTreeParser(null, reader, tree);
      while (!parser.eof() && !parser.getEntryPathString().equals(parts[i])) {
        parser.next();
      }
      if (parser.eof()) {
        throw dockerfileMissing(dockerfile, path + " does not exist");
      }
      FileMode mode = parser.getEntryFileMode();
      boolean last = i == parts.length - 1;
      if (!last && mode != FileMode.TREE) {
        throw dockerfileMissing(dockerfile, path + " is not a directory");
      }
      if (last && mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
        throw dockerfileMissing(dockerfile, "it is not a regular file");
      }
      String listed = path;
      if (last) {
        entries.add(nonTreeEntry(path, mode, parser.getEntryObjectId()));
      } else if (entries.stream().noneMatch(e -> e.path().equals(listed))) {
        entries.add(ContextEntry.directory(path));
      }
      tree = parser.getEntryObjectId();
    }
  }

  private String childPath(String dirPath, CanonicalTreeParser parser) {
    byte[] raw = Arrays.copyOf(parser.getEntryPathBuffer(), parser.getEntryPathLength());
    byte[] name = Arrays.copyOfRange(raw, raw.length - parser.getNameLength(), raw.length);
    String decoded = ContextNames.decode(name);
    String path = dirPath.isEmpty() ? decoded : dirPath + "/" + decoded;
    if (ContextPaths.tooLong(path)) {
      throw new InvalidInputException(
          where
              + " holds a path longer than "
              + ContextPaths.MAX_PATH_BYTES
              + " bytes below '"
              + dirPath
              + "'; shorten it or add it to .dockerignore",
          dirPath);
    }
    return path;
  }

  private InvalidInputException dockerfileMissing(String dockerfile, String why) {
    return new InvalidInputException(
        "the Dockerfile "
            + dockerfile
            + " is not in "
            + where
            + " ("
            + why
            + "); check the dockerfile path, which is relative to the context",
        "dockerfile");
  }
}
