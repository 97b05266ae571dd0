package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lists a context tree for {@link ContextWalker}, one fork-join task per directory, so the {@code
 * lstat}s of a large tree run on several threads. Unsorted; the walker sorts.
 */
final class TreeLister {

  /** A listed node and what {@code lstat} said about it. */
  record Node(ContextEntry entry, FileStat stat) {}

  /** What one directory's task found: its nodes and everything below. */
  private record Listing(List<Node> nodes, boolean listedAny) {}

  private static final Listing FAILED = new Listing(List.of(), false);

  private final Path contextDir;
  private final DockerIgnore ignore;
  private final boolean unixView;

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
      Listing root = pool.invoke(new DirectoryTask(contextDir, "", null));
      if (failure.get() != null) {
        throw failure.get();
      }
      return root.nodes();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Whether any listed name holds a UTF-16 surrogate, so sorting must compare code points. */
  boolean anySurrogate() {
    return anySurrogate;
  }

  boolean unixView() {
    return unixView;
  }

  private final class DirectoryTask extends RecursiveTask<Listing> {
    private static final long serialVersionUID = 1L;

    private final transient Path dir;
    private final String dirPath;
    private final transient DockerIgnore.Match dirMatch;

    DirectoryTask(Path dir, String dirPath, DockerIgnore.Match dirMatch) {
      this.dir = dir;
      this.dirPath = dirPath;
      this.dirMatch = dirMatch;
    }

    @Override
    protected Listing compute() {
      if (failure.get() != null) {
        return FAILED;
      }
      try {
        return listChildren();
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        return FAILED;
      }
    }

    private Listing listChildren() {
      List<Node> nodes = new ArrayList<>();
      List<DirectoryTask> below = new ArrayList<>();
      List<Node> excludedDirs = new ArrayList<>();
      boolean listedAny = false;
      try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
        for (Path child : children) {
          String name = child.getFileName().toString();
          if (!NodeNames.decodesCleanly(child, name)) {
            throw NodeNames.undecodable(dirPath, name, child);
          }
          if (hasSurrogate(name)) {
            anySurrogate = true;
          }
          String path = dirPath.isEmpty() ? name : dirPath + "/" + name;
          FileStat stat = stat(child, path);
          DockerIgnore.Match match = ignore.match(path, dirMatch);
          if (stat.isDirectory()) {
            if (!match.excluded()) {
              nodes.add(new Node(ContextEntry.directory(path), stat));
              listedAny = true;
            } else if (ignore.mayIncludeBelow(path, match)) {
              // listed only when something below it is re-included, which its task tells
              excludedDirs.add(new Node(ContextEntry.directory(path), stat));
            } else {
              continue;
            }
            DirectoryTask task = new DirectoryTask(child, path, match);
            task.fork();
            below.add(task);
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

      int excluded = 0;
      for (DirectoryTask task : below) {
        Listing listing = task.join();
        nodes.addAll(listing.nodes());
        if (task.dirMatch.excluded()) {
          Node dirNode = excludedDirs.get(excluded++);
          if (listing.listedAny()) {
            nodes.add(dirNode);
            listedAny = true;
          }
        }
      }
      return new Listing(nodes, listedAny);
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

  static boolean hasSurrogate(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (Character.isSurrogate(name.charAt(i))) {
        return true;
      }
    }
    return false;
  }
}
