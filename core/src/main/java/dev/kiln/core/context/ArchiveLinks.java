package dev.kiln.core.context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves the relative symlinks of a whole archive the way the kernel will once it is unpacked:
 * through every other symlink of the archive, wherever it appears in the stream. A textual check
 * alone misses {@code a/b -> ..} with {@code a/c -> b/..}, which points above the root. Refused,
 * naming the link: a target that ends up above the root, one whose resolution comes back to a link
 * it is still resolving, and one that needs more than {@link #MAX_HOPS} links (Linux's ELOOP).
 *
 * <p>An absolute target is accepted as a link of its own (it names a path in the image), but when
 * another link is resolved through it, it leads to the context root. Components the archive does
 * not hold are taken as directories, so {@code ..} after them climbs back lexically.
 */
final class ArchiveLinks {

  /** Linux's MAXSYMLINKS: the most links one path lookup follows. */
  static final int MAX_HOPS = 40;

  private static final int ROOT = 0;

  private final Map<Edge, Integer> children = new HashMap<>();
  private final List<String> names = new ArrayList<>();
  private final List<Integer> parents = new ArrayList<>();
  private final Map<Integer, String> targets = new HashMap<>();
  private final Map<Integer, Resolved> resolved = new HashMap<>();
  private final List<Integer> resolving = new ArrayList<>();

  private ArchiveLinks() {
    names.add("");
    parents.add(ROOT);
  }

  /** A symlink kiln refuses: its path, its target text, and why, phrased to follow "which". */
  record Refusal(String path, String target, String problem) {}

  /**
   * Checks every symlink of the archive, in archive order. Only links and their directories are
   * kept: any other component behaves like one the archive lacks, as no link lies below it.
   *
   * @param links the symlinks' targets by path, in archive order
   * @throws InvalidContextException naming the first refused link
   */
  static void check(Map<String, String> links) {
    Refusal refusal = firstRefused(links);
    if (refusal != null) {
      throw new InvalidContextException(
          "the context archive entry '"
              + refusal.path()
              + "' is a symlink to '"
              + ArchivePaths.abbreviate(refusal.target())
              + "', which "
              + refusal.problem()
              + "; kiln refuses the archive");
    }
  }

  /**
   * The first link, in the map's order, that resolves above the root, loops, or needs too many
   * hops; null when every link resolves. The walker asks this of a directory's links so the user
   * hears about a link the gateway would refuse before anything is uploaded.
   */
  static Refusal firstRefused(Map<String, String> links) {
    if (links.values().stream().allMatch(t -> t.startsWith("/"))) {
      return null; // absolute targets are accepted, and nothing relative resolves through them
    }
    ArchiveLinks tree = new ArchiveLinks();
    links.forEach((path, target) -> tree.targets.put(tree.id(path), target));
    for (Map.Entry<String, String> link : links.entrySet()) {
      if (!link.getValue().startsWith("/")) {
        String problem = tree.problem(link.getKey());
        if (problem != null) {
          return new Refusal(link.getKey(), link.getValue(), problem);
        }
      }
    }
    return null;
  }

  private String problem(String path) {
    Resolved result = resolve(id(path));
    return switch (result.failure()) {
      case NONE -> null;
      case ABOVE_ROOT ->
          "points above the context root once the other symlinks are followed;"
              + " make it point inside the context";
      case LOOP ->
          "never resolves: following the symlinks from it comes back to '"
              + result.loopsAt()
              + "'; break the loop";
      case TOO_MANY ->
          "takes more than "
              + MAX_HOPS
              + " symlinks to resolve, more than Linux follows; shorten the chain";
    };
  }

  /** Where a link leads, computed once per link; failures are thrown at once, never reused. */
  private Resolved resolve(int link) {
    Resolved known = resolved.get(link);
    if (known != null) {
      return known;
    }
    if (resolving.contains(link)) {
      return Resolved.failed(Failure.LOOP, path(link));
    }
    if (resolving.size() >= MAX_HOPS) {
      // every link being resolved needs this one too, so the outermost needs more than MAX_HOPS
      return Resolved.failed(Failure.TOO_MANY, null);
    }
    resolving.add(link);
    String target = targets.get(link);
    Resolved result = walk(target.startsWith("/") ? ROOT : parents.get(link), target);
    resolving.removeLast();
    if (result.failure() != Failure.NONE) {
      return result;
    }
    if (result.hops() + 1 > MAX_HOPS) {
      return Resolved.failed(Failure.TOO_MANY, null);
    }
    Resolved done = new Resolved(result.node(), result.phantom(), result.hops() + 1, Failure.NONE);
    resolved.put(link, done);
    return done;
  }

  /**
   * Walks a target from a directory. {@code phantom} counts components below {@code node} that the
   * archive does not hold: no link can lie below them, and {@code ..} climbs out of them first.
   */
  private Resolved walk(int start, String target) {
    int node = start;
    int phantom = 0;
    int hops = 0;
    for (String part : target.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (phantom > 0) {
          phantom--;
        } else if (node == ROOT) {
          return Resolved.failed(Failure.ABOVE_ROOT, null);
        } else {
          node = parents.get(node);
        }
        continue;
      }
      Integer child = phantom > 0 ? null : children.get(new Edge(node, part));
      if (child == null) {
        phantom++;
      } else if (!targets.containsKey(child)) {
        node = child;
      } else {
        Resolved through = resolve(child);
        if (through.failure() != Failure.NONE) {
          return through;
        }
        hops += through.hops();
        if (hops > MAX_HOPS) {
          return Resolved.failed(Failure.TOO_MANY, null);
        }
        node = through.node();
        phantom = through.phantom();
      }
    }
    return new Resolved(node, phantom, hops, Failure.NONE);
  }

  /** The id of a path, adding it and its parents; paths are clean and relative. */
  private int id(String path) {
    int node = ROOT;
    int start = 0;
    while (start < path.length()) {
      int slash = path.indexOf('/', start);
      int end = slash < 0 ? path.length() : slash;
      Edge edge = new Edge(node, path.substring(start, end));
      Integer child = children.get(edge);
      if (child == null) {
        child = names.size();
        names.add(edge.name());
        parents.add(node);
        children.put(edge, child);
      }
      node = child;
      start = end + 1;
    }
    return node;
  }

  private String path(int node) {
    StringBuilder path = new StringBuilder(names.get(node));
    for (int up = parents.get(node); up != ROOT; up = parents.get(up)) {
      path.insert(0, names.get(up) + "/");
    }
    return path.toString();
  }

  private record Edge(int parent, String name) {}

  private enum Failure {
    NONE,
    ABOVE_ROOT,
    LOOP,
    TOO_MANY
  }

  /** A link's destination: a node of the archive and components below it the archive lacks. */
  private record Resolved(int node, int phantom, int hops, Failure failure, String loopsAt) {
    Resolved(int node, int phantom, int hops, Failure failure) {
      this(node, phantom, hops, failure, null);
    }

    static Resolved failed(Failure failure, String loopsAt) {
      return new Resolved(ROOT, 0, 0, failure, loopsAt);
    }
  }
}
