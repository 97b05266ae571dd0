package dev.kiln.cli.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One image of the manifest's {@code build:} section, validated and resolved.
 *
 * @param name image name (one OCI path component)
 * @param location where the image is declared
 * @param contextDir the context directory, real path (symlinks resolved)
 * @param dockerfile the Dockerfile's path relative to the context, '/'-separated
 * @param displayPath the Dockerfile's path relative to the manifest's folder, for messages
 * @param target build stage, empty for the last one
 * @param args build arguments by name
 * @param secrets secret files by id (absolute paths, {@code ~} expanded)
 * @param dependsOn images this one is built after, in manifest order
 */
public record ImageSpec(
    String name,
    SourceLocation location,
    Path contextDir,
    String dockerfile,
    String displayPath,
    String target,
    SortedMap<String, String> args,
    SortedMap<String, Path> secrets,
    List<String> dependsOn) {

  public ImageSpec {
    args = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(args));
    secrets = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(secrets));
    dependsOn = List.copyOf(dependsOn);
  }
}
