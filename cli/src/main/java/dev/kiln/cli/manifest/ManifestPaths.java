package dev.kiln.cli.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Resolves and checks the paths an image names: its context, Dockerfile and secret files. */
final class ManifestPaths {
  private final Path manifestDir;
  private final Path home;

  /**
   * @param manifestDir the manifest's folder, real path
   * @param home the user's home directory, for {@code ~} in secret paths
   */
  ManifestPaths(Path manifestDir, Path home) {
    this.manifestDir = manifestDir;
    this.home = home;
  }

  Path manifestDir() {
    return manifestDir;
  }

  /** The context's real path; it must be a directory inside the manifest's folder. */
  Path context(String image, String context, SourceLocation at) {
    String what = "context '" + context + "' of image '" + image + "'";
    Path resolved = normalized(manifestDir, context, what, at);
    String keepInside = "keep contexts inside " + manifestDir + ", the folder of the manifest";
    if (!resolved.startsWith(manifestDir)) {
      throw new ManifestException(at, what + " lies outside the manifest's folder", keepInside);
    }
    if (!Files.exists(resolved)) {
      throw new ManifestException(
          at,
          what + " does not exist (looked for " + resolved + ")",
          "create the directory or fix context: (it is relative to the manifest's folder)");
    }
    if (!Files.isDirectory(resolved)) {
      throw new ManifestException(
          at, what + " is not a directory", "point context: at the folder that holds the sources");
    }
    Path real = realPath(resolved);
    if (!real.startsWith(manifestDir)) {
      throw new ManifestException(
          at,
          what + " lies outside the manifest's folder (a symlink leads to " + real + ")",
          keepInside);
    }
    return real;
  }

  /** The Dockerfile's path relative to the context, '/'-separated; it must be a file inside it. */
  String dockerfile(String image, Path contextDir, String dockerfile, SourceLocation at) {
    String what = "dockerfile '" + dockerfile + "' of image '" + image + "'";
    Path resolved = normalized(contextDir, dockerfile, what, at);
    if (!resolved.startsWith(contextDir) || resolved.equals(contextDir)) {
      throw new ManifestException(
          at,
          what + " lies outside its context " + display(contextDir),
          "put the Dockerfile inside the context (dockerfile: is relative to the context)");
    }
    if (!Files.isRegularFile(resolved)) {
      throw new ManifestException(
          at,
          "image '" + image + "' has no Dockerfile at " + display(resolved),
          "create it, or set dockerfile: to its path relative to the context "
              + display(contextDir));
    }
    return slashes(contextDir.relativize(resolved));
  }

  /** A secret file's absolute path, with a leading {@code ~} expanded; it must be a file. */
  Path secret(String image, String id, String path, SourceLocation at) {
    String what = "secret '" + id + "' of image '" + image + "'";
    String expanded = path;
    if (path.equals("~")) {
      expanded = home.toString();
    } else if (path.startsWith("~/")) {
      expanded = home.resolve(path.substring(2)).toString();
    }
    Path resolved = normalized(manifestDir, expanded, what, at);
    if (!Files.isRegularFile(resolved) || !Files.isReadable(resolved)) {
      throw new ManifestException(
          at,
          what + " names " + path + " (" + resolved + "), which is not a readable file",
          "create the file or fix the path");
    }
    return resolved;
  }

  /** A path relative to the manifest's folder for messages ("." for the folder itself). */
  String display(Path path) {
    Path relative = manifestDir.relativize(path);
    return relative.toString().isEmpty() ? "." : slashes(relative);
  }

  private static Path normalized(Path base, String path, String what, SourceLocation at) {
    try {
      return base.resolve(path).normalize();
    } catch (InvalidPathException e) {
      throw new ManifestException(
          at, what + " is not a valid path (" + e.getReason() + ")", "fix the path");
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("tried to resolve " + path + " but failed", e);
    }
  }

  static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }
}
