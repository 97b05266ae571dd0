package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountedCompleter;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lists a context tree for {@link ContextWalker}, one fork-join task per directory, so the {@code
 * lstat}s of a large tree run on several threads. Tasks are counted completers that never wait for
 * their children, so the stack stays flat however deep the tree is. Unsorted; the walker sorts.
 */
final class TreeLister {

  /** A listed node and what {@code lstat} said about it. */
  record Node(ContextEntry entry, FileStat stat) {}

  private final Path contextDir;
  private final DockerIgnore ignore;
  private final boolean unixView;

  /** What each directory's task listed. */
  private final Queue<List<Node>> listed = new ConcurrentLinkedQueue<>();

  /** Excluded directories a '!' pattern may reach into: listed only if something below is. */
  private final Queue<Node> excludedDirs = new ConcurrentLinkedQueue<>();

  /** The first failure of any task; the others then stop, and the walker throws this one. */
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  private volatile boolean anySurrogate;

  TreeLister(Path contextDir, DockerIgnore ignore) {
    this.contextDir = contextDir;
    this.ignore = ignore;
    this.unixView = FileStat.hasUnixView(contextDir.getFileSystem());
  }

  /** Lists the whole tree on {@code parallelism} threads. */
  List<Node> list(int parallelism) {
    ForkJoinPool pool = new ForkJoinPool(parallelism);
    try {
      pool.invoke(new DirectoryTask(null, contextDir, "", null));
    } finally {
      pool.shutdownNow();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    List<Node> nodes = new ArrayList<>();
    listed.forEach(nodes::addAll);
    addReincludedParents(nodes);
    return nodes;
  }

  /** Whether any listed name holds a UTF-16 surrogate, so sorting must compare bytes. */
  boolean anySurrogate() {
    return anySurrogate;
  }

  boolean unixView() {
    return unixView;
  }

  /** Lists each excluded directory that has a listed node below it, as BuildKit does. */
  private void addReincludedParents(List<Node> nodes) {
    if (excludedDirs.isEmpty()) {
      return;
    }
    Map<String, Node> waiting = new HashMap<>();
    excludedDirs.forEach(dir -> waiting.put(dir.entry().path(), dir));
    int listedCount = nodes.size();
    for (int i = 0; i < listedCount && !waiting.isEmpty(); i++) {
      String path = nodes.get(i).entry().path();
      for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
        Node dir = waiting.remove(path.substring(0, slash));
        if (dir != null) {
          nodes.add(dir);
        }
      }
    }
  }

  private final class DirectoryTask extends CountedCompleter<Void> {
    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final String dirPath;
    private final transient DockerIgnore.Match dirMatch;

    DirectoryTask(CountedCompleter<?> parent, Path dir, String dirPath, DockerIgnore.Match match) {
      super(parent);
      this.dir = dir;
      this.dirPath = dirPath;
      this.dirMatch = match;
    }

    @Override
    public void compute() {
      if (failure.get() == null) {
        try {
          listChildren();
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        }
      }
      tryComplete();
    }

    private void listChildren() {
      List<Node> nodes = new ArrayList<>();
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = NodeNames.name(child);
          if (ContextNames.hasSurrogate(name)) {
            anySurrogate = true;
          }
          String path = dirPath.isEmpty() ? name : dirPath + "/" + name;
          FileStat stat = stat(child, path);
          DockerIgnore.Match match = ignore.match(path, dirMatch);
          if (stat.isDirectory()) {
            if (!match.excluded()) {
              nodes.add(new Node(ContextEntry.directory(path), stat));
            } else if (ignore.mayIncludeBelow(path, match)) {
              excludedDirs.add(new Node(ContextEntry.directory(path), stat));
            } else {
              continue;
            }
            addToPendingCount(1);
            new DirectoryTask(this, child, path, match).fork();
          } else if (!match.excluded()) {
            nodes.add(new Node(nonDirectoryEntry(child, path, stat), stat));
          }
        }
      } catch (IOException e) {
        throw ContextReadErrors.of("list", contextDir, dirPath.isEmpty() ? "." : dirPath, e);
      } catch (DirectoryIteratorException e) {
        throw ContextReadErrors.of(
            "list", contextDir, dirPath.isEmpty() ? "." : dirPath, e.getCause());
      }
      listed.add(nodes);
    }
  }

  FileStat stat(Path node, String path) {
    try {
      return FileStat.read(node, unixView);
    } catch (IOException e) {
      throw ContextReadErrors.of("list", contextDir, path, e);
    }
  }

  ContextEntry nonDirectoryEntry(Path node, String path, FileStat stat) {
    if (stat.isSymbolicLink()) {
      String target;
      try {
        target = NodeNames.linkTarget(node);
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
}
