package dev.kiln.e2e.diff;

import dev.kiln.core.context.ContextNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A generated build context: nodes written in order (parents first), the lines of {@code
 * .dockerignore} and, when present, of {@code Dockerfile.dockerignore}, which BuildKit prefers.
 *
 * @param nodes what to create
 * @param ignoreLines lines of {@code .dockerignore}; empty means no such file
 * @param dockerfileIgnoreLines lines of {@code Dockerfile.dockerignore}; empty means no such file
 */
record GeneratedContext(
    List<Node> nodes, List<String> ignoreLines, List<String> dockerfileIgnoreLines) {

  /** Every context's Dockerfile: it copies the whole context, which BuildKit filters itself. */
  static final String DOCKERFILE = "FROM scratch\nCOPY . /ctx\n";

  enum Kind {
    FILE,
    EXECUTABLE,
    DIRECTORY,
    SYMLINK
  }

  /**
   * @param path '/'-separated, relative
   * @param data file content or symlink target; unused for directories
   */
  record Node(String path, Kind kind, String data) {}

  void writeTo(Path dir) throws IOException {
    write(dir.resolve("Dockerfile"), DOCKERFILE, false);
    if (!ignoreLines.isEmpty()) {
      write(dir.resolve(".dockerignore"), String.join("\n", ignoreLines) + "\n", false);
    }
    if (!dockerfileIgnoreLines.isEmpty()) {
      write(
          dir.resolve("Dockerfile.dockerignore"),
          String.join("\n", dockerfileIgnoreLines) + "\n",
          false);
    }
    for (Node node : nodes) {
      Path target = RawPaths.below(dir, node.path());
      Files.createDirectories(target.getParent());
      switch (node.kind()) {
        case FILE -> write(target, node.data(), false);
        case EXECUTABLE -> write(target, node.data(), true);
        case DIRECTORY -> Files.createDirectories(target);
        case SYMLINK -> Files.createSymbolicLink(target, RawPaths.target(node.data()));
      }
    }
  }

  private static void write(Path file, String content, boolean executable) throws IOException {
    // bytes that are not UTF-8 go in as they are, in file contents and in ignore patterns
    Files.write(file, ContextNames.encode(content));
    Files.setPosixFilePermissions(
        file, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("context:\n");
    nodes.forEach(n -> text.append("  ").append(n).append('\n'));
    text.append(".dockerignore: ").append(ignoreLines).append('\n');
    text.append("Dockerfile.dockerignore: ").append(dockerfileIgnoreLines);
    // bytes that are not UTF-8 as \xff, so failure reports print whole
    return ContextNames.display(text.toString());
  }
}
