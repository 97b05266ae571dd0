package dev.kiln.cli.manifest;

import dev.kiln.cli.yaml.YamlNode;
import dev.kiln.cli.yaml.YamlNode.Entry;
import dev.kiln.cli.yaml.YamlNode.YamlList;
import dev.kiln.cli.yaml.YamlNode.YamlMap;
import dev.kiln.cli.yaml.YamlNode.YamlScalar;
import dev.kiln.core.InvalidInputException;
import dev.kiln.core.image.Names;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads one entry of the {@code build:} section into an {@link ImageSpec}. */
final class ImageSpecReader {
  static final List<String> KEYS =
      List.of("context", "dockerfile", "target", "args", "secrets", "depends_on");
  private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_.-]+");

  /** An image plus the lines of its dependencies, which are checked once all images are read. */
  record ParsedImage(ImageSpec spec, Map<String, Integer> dependencyLines) {}

  private final Nodes nodes;
  private final ManifestPaths paths;

  ImageSpecReader(Nodes nodes, ManifestPaths paths) {
    this.nodes = nodes;
    this.paths = paths;
  }

  ParsedImage read(Entry entry) {
    String name = entry.key();
    SourceLocation at = nodes.at(entry.keyLine());
    try {
      Names.imageName(name);
    } catch (InvalidInputException e) {
      throw new ManifestException(at, e.getMessage());
    }
    Map<String, Entry> fields = fieldsOf(name, entry.value());
    for (Entry field : fields.values()) {
      if (!KEYS.contains(field.key())) {
        throw new ManifestException(
            nodes.at(field.keyLine()),
            "unknown key '" + field.key() + "' in image '" + name + "'",
            "use only " + String.join(", ", KEYS));
      }
    }

    Entry contextField = fields.get("context");
    String context = contextField == null ? "." : nodes.text(contextField.value(), "context");
    Path contextDir =
        paths.context(name, context, contextField == null ? at : nodes.at(contextField.value()));

    Entry dockerfileField = fields.get("dockerfile");
    String dockerfile =
        dockerfileField == null ? "Dockerfile" : nodes.text(dockerfileField.value(), "dockerfile");
    String dockerfilePath =
        paths.dockerfile(
            name,
            contextDir,
            dockerfile,
            dockerfileField == null ? at : nodes.at(dockerfileField.value()));

    Entry targetField = fields.get("target");
    String target = targetField == null ? "" : nodes.text(targetField.value(), "target");

    Map<String, String> args = fields.containsKey("args") ? args(fields.get("args")) : Map.of();
    Map<String, Path> secrets =
        fields.containsKey("secrets") ? secrets(name, fields.get("secrets")) : Map.of();
    Map<String, Integer> dependencies =
        fields.containsKey("depends_on") ? dependencies(fields.get("depends_on")) : Map.of();

    String display = paths.display(contextDir.resolve(dockerfilePath));
    ImageSpec spec =
        new ImageSpec(
            name,
            at,
            contextDir,
            dockerfilePath,
            display,
            target,
            new TreeMap<>(args),
            new TreeMap<>(secrets),
            List.copyOf(dependencies.keySet()));
    return new ParsedImage(spec, dependencies);
  }

  private Map<String, Entry> fieldsOf(String name, YamlNode value) {
    return switch (value) {
      case YamlMap map -> map.entries();
      // "api: ./api" is the short form of "api: {context: ./api}"
      case YamlScalar scalar when scalar.type() == YamlNode.ScalarType.STRING ->
          Map.of("context", new Entry("context", scalar.line(), scalar));
      case YamlScalar scalar when scalar.isNull() -> Map.of();
      default -> throw nodes.wrongType(value, "image '" + name + "'", "a map of build settings");
    };
  }

  private Map<String, String> args(Entry field) {
    Map<String, String> args = new LinkedHashMap<>();
    if (field.value() instanceof YamlList list) {
      for (YamlNode item : list.items()) {
        String pair = nodes.text(item, "an entry of args");
        int equals = pair.indexOf('=');
        if (equals < 0) {
          throw new ManifestException(
              nodes.at(item),
              "build argument '" + pair + "' has no value",
              "write it as NAME=VALUE");
        }
        putArg(args, pair.substring(0, equals), pair.substring(equals + 1), item);
      }
      return args;
    }
    YamlMap map = nodes.map(field.value(), "args");
    for (Entry arg : map.entries().values()) {
      if (arg.value() instanceof YamlScalar scalar && scalar.isNull()) {
        throw new ManifestException(
            nodes.at(arg.keyLine()),
            "build argument '" + arg.key() + "' has no value",
            "give it a value (write \"\" for an empty one)");
      }
      putArg(
          args,
          arg.key(),
          nodes.text(arg.value(), "build argument '" + arg.key() + "'"),
          arg.value());
    }
    return args;
  }

  private void putArg(Map<String, String> args, String name, String value, YamlNode at) {
    if (!ARG_NAME.matcher(name).matches()) {
      throw new ManifestException(
          nodes.at(at),
          "'" + name + "' is not a valid build argument name",
          "use letters, digits and '_', not starting with a digit");
    }
    if (args.putIfAbsent(name, value) != null) {
      throw new ManifestException(
          nodes.at(at), "build argument '" + name + "' is set twice", "keep one");
    }
  }

  private Map<String, Path> secrets(String image, Entry field) {
    Map<String, Path> secrets = new LinkedHashMap<>();
    for (Entry secret : nodes.map(field.value(), "secrets").entries().values()) {
      SourceLocation at = nodes.at(secret.keyLine());
      if (!SECRET_ID.matcher(secret.key()).matches()) {
        throw new ManifestException(
            at,
            "'" + secret.key() + "' is not a valid secret id",
            "use letters, digits, '.', '_' and '-'");
      }
      String path = nodes.text(secret.value(), "secret '" + secret.key() + "'");
      secrets.put(secret.key(), paths.secret(image, secret.key(), path, at));
    }
    return secrets;
  }

  private Map<String, Integer> dependencies(Entry field) {
    Map<String, Integer> lines = new LinkedHashMap<>();
    if (field.value() instanceof YamlScalar scalar && scalar.type() == YamlNode.ScalarType.STRING) {
      lines.put(scalar.text(), scalar.line());
      return lines;
    }
    for (YamlNode item : nodes.list(field.value(), "depends_on").items()) {
      lines.putIfAbsent(nodes.text(item, "an entry of depends_on"), item.line());
    }
    return lines;
  }
}
