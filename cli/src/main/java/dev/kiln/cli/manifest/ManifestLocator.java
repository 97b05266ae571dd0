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
      Path path = workingDir.resolve(file);
      if (!Files.isRegularFile(path)) {
        throw new InvalidInputException(
            "tried to read the manifest " + file + " but there is no such file; fix the -f path",
            "--file");
      }
      return new Located(path, file);
    }
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
}
