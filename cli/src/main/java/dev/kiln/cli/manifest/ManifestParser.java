package dev.kiln.cli.manifest;

import dev.kiln.cli.manifest.ImageSpecReader.ParsedImage;
import dev.kiln.cli.yaml.YamlNode;
import dev.kiln.cli.yaml.YamlNode.Entry;
import dev.kiln.cli.yaml.YamlNode.YamlMap;
import dev.kiln.cli.yaml.YamlSyntaxException;
import dev.kiln.cli.yaml.YamlTreeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the {@code build:} section of a {@code kiln.yml} or {@code okteto.yml}. Every problem is a
 * {@link ManifestException} that names the file and line.
 */
public final class ManifestParser {
  /** Okteto manifest sections kiln accepts and ignores, so an okteto.yml can be used as it is. */
  static final List<String> IGNORED_SECTIONS =
      List.of(
          "name",
          "namespace",
          "context",
          "icon",
          "deploy",
          "destroy",
          "dev",
          "dependencies",
          "external",
          "test",
          "divert",
          "forward");

  private final Path home;
  private final YamlTreeReader reader = new YamlTreeReader();

  /**
   * @param home the user's home directory, for {@code ~} in secret paths
   */
  public ManifestParser(Path home) {
    this.home = home;
  }

  /**
   * @param file the manifest
   * @param displayName how messages name the file, e.g. "kiln.yml" as the user typed it
   */
  public Manifest parse(Path file, String displayName) {
    Nodes nodes = new Nodes(displayName);
    YamlMap root = root(read(file, displayName), nodes);

    for (Entry section : root.entries().values()) {
      if (!section.key().equals("build") && !IGNORED_SECTIONS.contains(section.key())) {
        throw new ManifestException(
            nodes.at(section.keyLine()),
            "unknown top-level key '" + section.key() + "'",
            "kiln reads build: (and ignores Okteto's " + String.join(", ", IGNORED_SECTIONS) + ")");
      }
    }
    Entry build = root.entries().get("build");
    if (build == null) {
      throw new ManifestException(
          nodes.at(root.line()),
          "there is no build: section",
          "add build: with one entry per image (see examples/kiln.yml)");
    }
    YamlMap images = nodes.map(build.value(), "build");
    if (images.entries().isEmpty()) {
      throw new ManifestException(
          nodes.at(build.keyLine()),
          "the build: section names no image",
          "add an image, e.g. 'api: {context: api}'");
    }

    ManifestPaths paths = new ManifestPaths(realFolder(file), home);
    ImageSpecReader imageReader = new ImageSpecReader(nodes, paths);
    Map<String, ParsedImage> parsed = new LinkedHashMap<>();
    for (Entry image : images.entries().values()) {
      parsed.put(image.key(), imageReader.read(image));
    }
    checkDependencies(parsed, nodes);

    Map<String, ImageSpec> specs = new LinkedHashMap<>();
    parsed.forEach((name, image) -> specs.put(name, image.spec()));
    return new Manifest(file, nodes.at(build.keyLine()), specs);
  }

  private YamlMap root(Optional<YamlNode> document, Nodes nodes) {
    if (document.isEmpty()) {
      throw new ManifestException(
          nodes.at(1), "the manifest is empty", "add a build: section with at least one image");
    }
    if (!(document.get() instanceof YamlMap map)) {
      throw new ManifestException(
          nodes.at(document.get()),
          "the manifest must be a map with a build: section but is " + document.get().describe(),
          "start the file with 'build:'");
    }
    return map;
  }

  private Optional<YamlNode> read(Path file, String displayName) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ManifestException(
          new SourceLocation(displayName, 0), "the file is not UTF-8 text", "save it as UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "tried to read the manifest " + displayName + " but failed", e);
    }
    try {
      return reader.read(text);
    } catch (YamlSyntaxException e) {
      throw new ManifestException(
          new SourceLocation(displayName, e.line()),
          "invalid YAML: " + e.getMessage(),
          "fix the YAML syntax (indent with spaces, 'key: value', '- item')");
    }
  }

  private void checkDependencies(Map<String, ParsedImage> images, Nodes nodes) {
    Map<String, List<String>> graph = new LinkedHashMap<>();
    for (ParsedImage image : images.values()) {
      String name = image.spec().name();
      for (Map.Entry<String, Integer> dependency : image.dependencyLines().entrySet()) {
        if (!images.containsKey(dependency.getKey())) {
          throw new ManifestException(
              nodes.at(dependency.getValue()),
              "image '"
                  + name
                  + "' depends on '"
                  + dependency.getKey()
                  + "', which is not in the build section",
              "name one of " + String.join(", ", images.keySet()));
        }
      }
      graph.put(name, image.spec().dependsOn());
    }
    DependencyCycles.find(graph)
        .ifPresent(
            cycle -> {
              ParsedImage first = images.get(cycle.get(0));
              int line = first.dependencyLines().get(cycle.get(1));
              throw new ManifestException(
                  nodes.at(line),
                  "the images depend on each other in a cycle: " + String.join(" -> ", cycle),
                  "remove one of these depends_on entries");
            });
  }

  private static Path realFolder(Path file) {
    try {
      return file.toAbsolutePath().getParent().toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException("tried to resolve the folder of " + file + " but failed", e);
    }
  }
}
