package dev.kiln.cli.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds a cycle in the {@code depends_on} graph, reported as the path that closes it. */
final class DependencyCycles {
  private enum Mark {
    VISITING,
    DONE
  }

  private DependencyCycles() {}

  /**
   * Returns the first cycle met when walking images in manifest order, as the list of names from
   * its first image back to that same image (for example {@code [a, b, a]}).
   */
  static Optional<List<String>> find(Map<String, List<String>> dependencies) {
    Map<String, Mark> marks = new HashMap<>();
    for (String name : dependencies.keySet()) {
      Optional<List<String>> cycle = walk(name, dependencies, marks, new ArrayList<>());
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    return Optional.empty();
  }

  private static Optional<List<String>> walk(
      String name,
      Map<String, List<String>> dependencies,
      Map<String, Mark> marks,
      List<String> path) {
    Mark mark = marks.get(name);
    if (mark == Mark.DONE) {
      return Optional.empty();
    }
    if (mark == Mark.VISITING) {
      List<String> cycle = new ArrayList<>(path.subList(path.indexOf(name), path.size()));
      cycle.add(name);
      return Optional.of(cycle);
    }
    marks.put(name, Mark.VISITING);
    path.add(name);
    for (String dependency : dependencies.getOrDefault(name, List.of())) {
      Optional<List<String>> cycle = walk(dependency, dependencies, marks, path);
      if (cycle.isPresent()) {
        return cycle;
      }
    }
    path.remove(path.size() - 1);
    marks.put(name, Mark.DONE);
    return Optional.empty();
  }
}
