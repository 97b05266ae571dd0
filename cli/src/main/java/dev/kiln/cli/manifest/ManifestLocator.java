package dev.kiln.cli.manifest;

import dev.kiln.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the manifest a command reads: {@code -f FILE}, else kiln.yml then okteto.yml. */
public final class ManifestLocator {
  static final List<String> DEFAULT_NAMES =
      List.of("kiln.yml", "kiln.yaml", "okteto.yml", "okteto.yaml");

  /** The manifest file and how messages name it. */
  public record Located(Path path, String displayName) {}

  private ManifestLocator() {}

  /**
   * @param workingDir where relative paths start
   * @param file the {@code -f} option, or null
   */
  public static Located locate(Path workingDir, String file) {
    if (file != null) {
      Path path = requireIntact(workingDir.resolve(file), "--file");
      if (!Files.isRegularFile(path)) {
        throw new InvalidInputException(
            "tried to read the manifest " + file + " but there is no such file; fix the -f path",
            "--file");
      }
      return new Located(path, file);
    }
    requireIntact(workingDir, "--file");
    for (String name : DEFAULT_NAMES) {
      Path path = workingDir.resolve(name);
      if (Files.isRegularFile(path)) {
        return new Located(path, name);
      }
    }
    throw new InvalidInputException(
        "tried to find kiln.yml or okteto.yml in "
            + workingDir
            + " but there is none; run kiln in the folder of your manifest or pass -f FILE",
        "--file");
  }

  /**
   * Refuses a path from the command line or the working directory that holds U+FFFD: the JVM
   * decodes both before kiln runs and puts U+FFFD for bytes that are not UTF-8, so such a path may
   * name another directory than the one meant (its U+FFFD twin), which would be a silent wrong
   * hash. Names inside a context keep their bytes; only these outer paths cannot.
   */
  public static Path requireIntact(Path path, String option) {
    requireIntact(path.toString(), option);
    return path;
  }

  /** The same for a path given as text. */
  public static void requireIntact(String path, String option) {
    if (path.indexOf('\uFFFD') >= 0) {
      throw new InvalidInputException(
          "the path "
              + path
              + " holds U+FFFD, which is what the JVM makes of bytes that are not UTF-8 in"
              + " arguments and the working directory, so kiln cannot tell which directory is"
              + " meant; rename it, or reach it through a symlink with a UTF-8 name",
          option);
    }
  }
}
