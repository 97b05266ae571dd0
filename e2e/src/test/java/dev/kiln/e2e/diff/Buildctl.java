package dev.kiln.e2e.diff;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Finds the {@code buildctl} binary that {@code scripts/stack.sh install} puts in Go's bin. */
final class Buildctl {

  private Buildctl() {}

  /**
   * {@code $KILN_TEST_BUILDCTL}, else {@code $(go env GOPATH)/bin/buildctl}, else {@code
   * ~/go/bin/buildctl}, else the first {@code buildctl} on the PATH.
   *
   * @throws IllegalStateException naming every place looked at and how to install it
   */
  static Path locate(Map<String, String> env) {
    Set<Path> candidates = new LinkedHashSet<>();
    String explicit = env.get("KILN_TEST_BUILDCTL");
    if (explicit != null && !explicit.isBlank()) {
      candidates.add(Path.of(explicit));
    }
    for (String gopath : goPath().split(File.pathSeparator)) {
      if (!gopath.isBlank()) {
        candidates.add(Path.of(gopath, "bin", "buildctl"));
      }
    }
    candidates.add(Path.of(System.getProperty("user.home"), "go", "bin", "buildctl"));
    for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isBlank()) {
        candidates.add(Path.of(dir, "buildctl"));
      }
    }
    for (Path candidate : candidates) {
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    List<String> looked = new ArrayList<>();
    candidates.forEach(c -> looked.add(c.toString()));
    throw new IllegalStateException(
        "tried to find buildctl for the differential test against BuildKit but it is in none of "
            + looked
            + "; install it with 'scripts/stack.sh install' (go install"
            + " github.com/moby/buildkit/cmd/buildctl@v0.32.2) or set KILN_TEST_BUILDCTL");
  }

  /** {@code go env GOPATH}, or "" when Go is not installed. */
  private static String goPath() {
    try {
      Process go = new ProcessBuilder("go", "env", "GOPATH").redirectErrorStream(true).start();
      String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return go.waitFor(30, TimeUnit.SECONDS) && go.exitValue() == 0 ? out : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
