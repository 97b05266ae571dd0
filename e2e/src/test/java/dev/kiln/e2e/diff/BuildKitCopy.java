package dev.kiln.e2e.diff;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Runs {@code COPY . /ctx} on the real BuildKit through {@code buildctl} (the dockerfile frontend
 * applies the ignore files itself) and reads back what landed under {@code /ctx}.
 */
final class BuildKitCopy {

  private static final long SOLVE_TIMEOUT_SECONDS = 180;

  /** What one path is in a tree: "d", "f", "x" (executable file) or "l -> target". */
  static String describeDirectory() {
    return "d";
  }

  static String describeFile(boolean executable) {
    return executable ? "x" : "f";
  }

  static String describeLink(String target) {
    return "l -> " + target;
  }

  private final Path buildctl;
  private final String address;

  BuildKitCopy(Path buildctl, String address) {
    this.buildctl = buildctl;
    this.address = address;
  }

  /** Path (relative to /ctx) to description, for the context in {@code contextDir}. */
  Map<String, String> copy(Path contextDir, Path workDir) throws IOException, InterruptedException {
    Path out = workDir.resolve("out.tar");
    Path log = workDir.resolve("buildctl.log");
    List<String> command =
        new ArrayList<>(
            List.of(
                buildctl.toString(),
                "--addr",
                address,
                "build",
                "--progress=plain",
                "--frontend",
                "dockerfile.v0",
                "--local",
                "context=" + contextDir,
                "--local",
                "dockerfile=" + contextDir,
                "--output",
                "type=tar,dest=" + out));
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(SOLVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(
          "buildctl did not finish within " + SOLVE_TIMEOUT_SECONDS + " s; its log:\n" + tail(log));
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          "buildctl failed with exit code " + process.exitValue() + "; its log:\n" + tail(log));
    }
    return read(out);
  }

  private static Map<String, String> read(Path tar) throws IOException {
    Map<String, String> tree = new TreeMap<>();
    try (InputStream in = Files.newInputStream(tar);
        RawNameTarInput entries = new RawNameTarInput(in)) {
      TarArchiveEntry entry;
      while ((entry = entries.getNextEntry()) != null) {
        String name = entries.name(entry);
        while (name.endsWith("/")) {
          name = name.substring(0, name.length() - 1);
        }
        if (name.startsWith("./")) {
          name = name.substring(2);
        }
        if (!name.startsWith("ctx/")) {
          continue; // the root and /ctx itself
        }
        String path = name.substring("ctx/".length());
        if (entry.isDirectory()) {
          tree.put(path, describeDirectory());
        } else if (entry.isSymbolicLink()) {
          tree.put(path, describeLink(entries.linkName(entry)));
        } else {
          tree.put(path, describeFile((entry.getMode() & 0100) != 0));
        }
      }
    }
    return tree;
  }

  private static String tail(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }
}
