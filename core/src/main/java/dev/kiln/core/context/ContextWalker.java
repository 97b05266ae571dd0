package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
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
 * refuses them in archives; absolute targets are kept. A symlink is one entry whatever it points
 * to, so loops of directory symlinks are just links.
 *
 * <p>An excluded directory is not even listed when no later '!' pattern could reach inside it, so
 * an ignored {@code node_modules} costs one stat. A directory that is excluded but holds a
 * re-included path is listed, as BuildKit lists it.
 *
 * <p>Each node costs one {@code lstat}, whose result {@link #scan} hands on to the hasher.
 */
public final class ContextWalker {

  /** The entries of the context, as {@link #scan} lists them. */
  public List<ContextEntry> walk(Path contextDir, DockerIgnore ignore, String dockerfilePath) {
    return scan(contextDir, ignore, dockerfilePath).entries();
  }

  /** Walks the context, keeping what {@code lstat} said about each entry. */
  public ContextScan scan(Path contextDir, DockerIgnore ignore, String dockerfilePath) {
    String dockerfile = ContextPaths.dockerfile(dockerfilePath);
    if (!Files.isDirectory(contextDir)) {
      throw new InvalidInputException(
          "the build context " + contextDir + " is not a directory; point context at one",
          "context");
    }
    Walk walk = new Walk(contextDir, ignore, FileStat.hasUnixView(contextDir.getFileSystem()));
    walk.directory(contextDir, "", null);
    walk.addDockerfile(dockerfile);
    return walk.result();
  }

  private record Node(ContextEntry entry, FileStat stat) {}

  /** The state of one walk. */
  private static final class Walk {
    private final Path contextDir;
    private final DockerIgnore ignore;
    private final boolean unixView;
    private final List<Node> nodes = new ArrayList<>();

    Walk(Path contextDir, DockerIgnore ignore, boolean unixView) {
      this.contextDir = contextDir;
      this.ignore = ignore;
      this.unixView = unixView;
    }

    /** Lists one directory's children; true when anything below it was listed. */
    boolean directory(Path dir, String dirPath, DockerIgnore.Match dirMatch) {
      boolean listedAny = false;
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (!NodeNames.decodesCleanly(child, name)) {
            throw NodeNames.undecodable(dirPath, name, child);
          }
          String path = dirPath.isEmpty() ? name : dirPath + "/" + name;
          FileStat stat = stat(child, path);
          DockerIgnore.Match match = ignore.match(path, dirMatch);
          if (stat.isDirectory()) {
            listedAny |= visitDirectory(child, path, match, stat);
          } else if (!match.excluded()) {
            nodes.add(new Node(nonDirectoryEntry(child, path, stat), stat));
            listedAny = true;
          }
        }
      } catch (IOException e) {
        throw ContextReadErrors.of("list", contextDir, dirPath.isEmpty() ? "." : dirPath, e);
      } catch (DirectoryIteratorException e) {
        throw ContextReadErrors.of(
            "list", contextDir, dirPath.isEmpty() ? "." : dirPath, e.getCause());
      }
      return listedAny;
    }

    private boolean visitDirectory(Path dir, String path, DockerIgnore.Match match, FileStat stat) {
      if (!match.excluded()) {
        nodes.add(new Node(ContextEntry.directory(path), stat));
        directory(dir, path, match);
        return true;
      }
      if (!ignore.mayIncludeBelow(path, match)) {
        return false;
      }
      boolean reincluded = directory(dir, path, match);
      if (reincluded) {
        nodes.add(new Node(ContextEntry.directory(path), stat));
      }
      return reincluded;
    }

    private FileStat stat(Path node, String path) {
      try {
        return FileStat.read(node, unixView);
      } catch (IOException e) {
        throw ContextReadErrors.of("list", contextDir, path, e);
      }
    }

    private ContextEntry nonDirectoryEntry(Path node, String path, FileStat stat) {
      if (stat.isSymbolicLink()) {
        String target;
        try {
          target = Files.readSymbolicLink(node).toString();
        } catch (IOException e) {
          throw ContextReadErrors.of("read the symlink", contextDir, path, e);
        }
        if (target.isEmpty() || ArchivePaths.climbsAboveRoot(path, target)) {
          // the gateway refuses such archives; say so here, where the user can act on it
          throw new InvalidInputException(
              "the build context holds the symlink "
                  + path
                  + " -> "
                  + target
                  + ", which points above the context root; kiln refuses such links, so add it to"
                  + " .dockerignore or make it point inside the context (absolute targets are"
                  + " fine)",
              path);
        }
        return ContextEntry.symlink(path, target);
      }
      if (stat.isRegularFile()) {
        return ContextEntry.file(path, stat.ownerExecutable(), stat.sizeBytes());
      }
      throw new InvalidInputException(
          "the build context holds "
              + path
              + ", a socket, pipe or device, which cannot go into an archive; add it to"
              + " .dockerignore",
          path);
    }

    /** Puts the Dockerfile and its directories in even when the ignore rules left them out. */
    void addDockerfile(String dockerfile) {
      Set<String> listed = new HashSet<>();
      for (Node node : nodes) {
        listed.add(node.entry().path());
      }
      if (listed.contains(dockerfile)) {
        return;
      }
      String[] parts = dockerfile.split("/");
      String path = "";
      for (int i = 0; i < parts.length - 1; i++) {
        path = path.isEmpty() ? parts[i] : path + "/" + parts[i];
        FileStat stat = dockerfileStat(path);
        if (stat == null || !stat.isDirectory()) {
          throw dockerfileMissing(dockerfile, path + " is not a directory");
        }
        if (listed.add(path)) {
          nodes.add(new Node(ContextEntry.directory(path), stat));
        }
      }
      FileStat stat = dockerfileStat(dockerfile);
      if (stat == null) {
        throw dockerfileMissing(dockerfile, "it does not exist");
      }
      if (!stat.isRegularFile()) {
        throw dockerfileMissing(dockerfile, "it is not a regular file");
      }
      nodes.add(
          new Node(nonDirectoryEntry(contextDir.resolve(dockerfile), dockerfile, stat), stat));
    }

    /** The stat of a node on the Dockerfile's path, null when it does not exist. */
    private FileStat dockerfileStat(String path) {
      try {
        return FileStat.read(contextDir.resolve(path), unixView);
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw ContextReadErrors.of("read", contextDir, path, e);
      }
    }

    private InvalidInputException dockerfileMissing(String dockerfile, String why) {
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

    ContextScan result() {
      nodes.sort((a, b) -> ContextPaths.BYTE_ORDER.compare(a.entry().path(), b.entry().path()));
      List<ContextEntry> entries = new ArrayList<>(nodes.size());
      List<FileStat> stats = new ArrayList<>(nodes.size());
      for (Node node : nodes) {
        entries.add(node.entry());
        stats.add(node.stat());
      }
      return new ContextScan(contextDir, entries, stats);
    }
  }
}
