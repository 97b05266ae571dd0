package dev.kiln.worker.buildkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One Dockerfile build for BuildKit's {@code dockerfile.v0} frontend, pushing its result.
 *
 * @param contextUrl HTTP(S) URL of the plain context tar; BuildKit downloads and unpacks it
 * @param dockerfile path of the Dockerfile inside the archive
 * @param target build stage; empty = the last one
 * @param buildArgs build arguments by name
 * @param platforms e.g. "linux/amd64"; empty = the daemon's own platform
 * @param noCache true = ignore BuildKit's cache for every step
 * @param pushRef full image reference the image exporter pushes to
 */
public record SolveSpec(
    String contextUrl,
    String dockerfile,
    String target,
    SortedMap<String, String> buildArgs,
    List<String> platforms,
    boolean noCache,
    String pushRef) {

  public SolveSpec {
    Objects.requireNonNull(contextUrl, "contextUrl");
    Objects.requireNonNull(dockerfile, "dockerfile");
    Objects.requireNonNull(pushRef, "pushRef");
    target = target == null ? "" : target;
    buildArgs = buildArgs == null ? new TreeMap<>() : new TreeMap<>(buildArgs);
    platforms = platforms == null ? List.of() : List.copyOf(platforms);
  }

  @Override
  public SortedMap<String, String> buildArgs() {
    return new TreeMap<>(buildArgs);
  }

  /**
   * The frontend options BuildKit's dockerfile frontend reads (frontend/dockerui in BuildKit): an
   * http(s) "context" is downloaded and, when it is an archive, unpacked.
   */
  public Map<String, String> frontendAttrs() {
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("context", contextUrl);
    attrs.put("filename", dockerfile);
    if (!target.isEmpty()) {
      attrs.put("target", target);
    }
    buildArgs.forEach((name, value) -> attrs.put("build-arg:" + name, value));
    if (!platforms.isEmpty()) {
      attrs.put("platform", String.join(",", platforms));
    }
    if (noCache) {
      // an empty value means "every stage"; a list would name stages
      attrs.put("no-cache", "");
    }
    return attrs;
  }

  /** Attributes of the image exporter that pushes the result to {@link #pushRef}. */
  public Map<String, String> imageExporterAttrs() {
    return Map.of("name", pushRef, "push", "true");
  }
}
