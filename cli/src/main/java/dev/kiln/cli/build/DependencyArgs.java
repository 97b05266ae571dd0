package dev.kiln.cli.build;

import dev.kiln.cli.manifest.ImageSpec;
import dev.kiln.core.image.ImageRef;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The build arguments {@code depends_on} adds: {@code KILN_BUILD_<DEP>_IMAGE} = the dependency's
 * cache image by digest, so a changed dependency changes the dependent's build hash.
 */
public final class DependencyArgs {
  private DependencyArgs() {}

  /** {@code KILN_BUILD_<DEP>_IMAGE}: upper case, every character an ARG name cannot hold → '_'. */
  public static String argName(String dependency) {
    String upper = dependency.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    return "KILN_BUILD_" + upper + "_IMAGE";
  }

  /** {@code <registry>/<cache-ns>/<dep>@sha256:...}: the cache reference without its tag. */
  public static String argValue(BuiltImage dependency) {
    return ImageRef.parse(dependency.cacheRef())
        .withTag(null)
        .withDigest(dependency.digest())
        .toString();
  }

  /** The image's own arguments plus one per dependency (which win over a manifest value). */
  public static SortedMap<String, String> forImage(ImageSpec image, Map<String, BuiltImage> built) {
    SortedMap<String, String> args = new TreeMap<>(image.args());
    for (String dependency : image.dependsOn()) {
      BuiltImage result = built.get(dependency);
      if (result == null) {
        throw new IllegalStateException(
            "image '" + image.name() + "' is built before its dependency '" + dependency + "'");
      }
      args.put(argName(dependency), argValue(result));
    }
    return args;
  }
}
