package dev.kiln.cli.manifest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A parsed manifest ({@code kiln.yml} or {@code okteto.yml}).
 *
 * @param file the manifest file
 * @param buildSection where the {@code build:} section starts
 * @param images images in manifest order; dependencies are known to exist and to be acyclic
 */
public record Manifest(Path file, SourceLocation buildSection, Map<String, ImageSpec> images) {

  public Manifest {
    images = Collections.unmodifiableMap(new LinkedHashMap<>(images));
  }

  /**
   * The images to build for a command line naming {@code requested} (all when empty), each after
   * the images it depends on; dependencies are included even when not named.
   *
   * @throws ManifestException when a name is not an image of this manifest
   */
  public List<ImageSpec> select(List<String> requested) {
    List<String> roots = requested.isEmpty() ? List.copyOf(images.keySet()) : requested;
    for (String name : roots) {
      if (!images.containsKey(name)) {
        throw new ManifestException(
            buildSection,
            "there is no image '" + name + "' in the build section",
            "name one of " + String.join(", ", images.keySet()));
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (String name : roots) {
      visit(name, ordered);
    }
    List<ImageSpec> result = new ArrayList<>();
    ordered.forEach(name -> result.add(images.get(name)));
    return result;
  }

  private void visit(String name, Set<String> ordered) {
    if (ordered.contains(name)) {
      return;
    }
    // the parser rejected cycles, so this recursion ends
    for (String dependency : images.get(name).dependsOn()) {
      visit(dependency, ordered);
    }
    ordered.add(name);
  }
}
