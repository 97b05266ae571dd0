package dev.kiln.core.context;

import dev.kiln.core.InvalidInputException;
import dev.kiln.core.context.TreeLister.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lists what of a directory goes into a build context: the tree after {@code .dockerignore}, in
 * byte order of the paths, never following symlinks, with empty directories, plus the Dockerfile
 * and its directories even when they are ignored (BuildKit reads the Dockerfile from the archive).
 *
 * <p>Symlinks are never entered: a symlink is one entry whatever it points to. Those the gateway
 * refuses in archives are refused here first, naming the link: a relative target that climbs above
 * the context root, on its own text or through other links, and links that loop or need more hops
 * than Linux follows. Absolute targets are kept.
 *
 * <p>An excluded directory is not even listed when no later '!' pattern could reach inside it, so
 * an ignored {@code node_modules} costs one stat. A directory that is excluded but holds a
 * re-included path is listed, as BuildKit lists it.
 *
 * <p>Each node costs one {@code lstat}, whose result {@link #scan} hands on to the hasher.
 * Directories are listed on several threads; the result does not depend on their number.
 */
public final class ContextWalker {

  private final int parallelism;

  /** Lists directories on as many threads as the content hashing uses. */
  public ContextWalker() {
    this(Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8));
  }

  /**
   * @param parallelism how many threads list directories and {@code lstat} their children
   */
  public ContextWalker(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
    }
    this.parallelism = parallelism;
  }

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
    TreeLister lister = new TreeLister(contextDir, ignore);
    List<Node> nodes = new ArrayList<>(lister.list(parallelism));
    addDockerfile(lister, contextDir, dockerfile, nodes);

    // UTF-16 order is byte order unless a surrogate (a character above U+FFFF or a byte that is
    // not UTF-8) is involved, and String.compareTo is several times faster than comparing bytes
    Comparator<String> order =
        lister.anySurrogate() || ContextNames.hasSurrogate(dockerfile)
            ? ContextPaths.BYTE_ORDER
            : Comparator.naturalOrder();
    nodes.sort((a, b) -> order.compare(a.entry().path(), b.entry().path()));
    List<ContextEntry> entries = new ArrayList<>(nodes.size());
    List<FileStat> stats = new ArrayList<>(nodes.size());
    Map<String, String> links = new LinkedHashMap<>();
    for (Node node : nodes) {
      entries.add(node.entry());
      stats.add(node.stat());
      if (node.entry().kind() == ContextEntry.Kind.SYMLINK) {
        links.put(node.entry().path(), node.entry().linkTarget());
      }
    }
    refuseUnresolvableLinks(links);
    return new ContextScan(contextDir, entries, stats);
  }

  /**
   * The gateway refuses an archive with a link that loops or climbs out through other links; the
   * walker says so first, naming the link, so nothing is uploaded in vain.
   */
  private static void refuseUnresolvableLinks(Map<String, String> links) {
    ArchiveLinks.Refusal refusal = ArchiveLinks.firstRefused(links);
    if (refusal != null) {
      throw new InvalidInputException(
          "the build context holds the symlink "
              + refusal.path()
              + " -> "
              + refusal.target()
              + ", which "
              + refusal.problem()
              + " or add it to .dockerignore (kiln refuses such links)",
          refusal.path());
    }
  }

  /** Puts the Dockerfile and its directories in even when the ignore rules left them out. */
  private static void addDockerfile(
      TreeLister lister, Path contextDir, String dockerfile, List<Node> nodes) {
    Set<String> onItsPath = new HashSet<>();
    String[] parts = dockerfile.split("/");
    for (int i = 1; i <= parts.length; i++) {
      onItsPath.add(String.join("/", Arrays.asList(parts).subList(0, i)));
    }
    Set<String> listed = new HashSet<>();
    for (Node node : nodes) {
      String path = node.entry().path();
      if (dockerfile.startsWith(path) && onItsPath.contains(path)) {
        listed.add(path);
      }
    }
    if (listed.contains(dockerfile)) {
      return;
    }
    String path = "";
    for (int i = 0; i < parts.length - 1; i++) {
      path = path.isEmpty() ? parts[i] : path + "/" + parts[i];
      FileStat stat = statOrNull(lister, contextDir, path);
      if (stat == null || !stat.isDirectory()) {
        throw dockerfileMissing(contextDir, dockerfile, path + " is not a directory");
      }
      if (listed.add(path)) {
        nodes.add(new Node(ContextEntry.directory(path), stat));
      }
    }
    FileStat stat = statOrNull(lister, contextDir, dockerfile);
    if (stat == null) {
      throw dockerfileMissing(contextDir, dockerfile, "it does not exist");
    }
    if (!stat.isRegularFile()) {
      throw dockerfileMissing(contextDir, dockerfile, "it is not a regular file");
    }
    Path file = NodeNames.resolve(contextDir, dockerfile);
    nodes.add(new Node(lister.nonDirectoryEntry(file, dockerfile, stat), stat));
  }

  /** The stat of a node on the Dockerfile's path, null when it does not exist. */
  private static FileStat statOrNull(TreeLister lister, Path contextDir, String path) {
    try {
      return FileStat.read(NodeNames.resolve(contextDir, path), lister.unixView());
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw ContextReadErrors.of("read", contextDir, path, e);
    }
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
