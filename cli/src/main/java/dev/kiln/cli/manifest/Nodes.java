package dev.kiln.cli.manifest;

import dev.kiln.cli.yaml.YamlNode;
import dev.kiln.cli.yaml.YamlNode.YamlList;
import dev.kiln.cli.yaml.YamlNode.YamlMap;
import dev.kiln.cli.yaml.YamlNode.YamlScalar;

/** Typed reads of manifest nodes that fail with a located "wrong type" error. */
final class Nodes {
  private final String file;

  Nodes(String file) {
    this.file = file;
  }

  SourceLocation at(int line) {
    return new SourceLocation(file, line);
  }

  SourceLocation at(YamlNode node) {
    return at(node.line());
  }

  /** The text of a non-null scalar; numbers and booleans keep their source spelling. */
  String text(YamlNode node, String what) {
    if (node instanceof YamlScalar scalar && !scalar.isNull()) {
      return scalar.text();
    }
    throw wrongType(node, what, "a string");
  }

  YamlMap map(YamlNode node, String what) {
    if (node instanceof YamlMap map) {
      return map;
    }
    throw wrongType(node, what, "a map");
  }

  YamlList list(YamlNode node, String what) {
    if (node instanceof YamlList list) {
      return list;
    }
    throw wrongType(node, what, "a list");
  }

  ManifestException wrongType(YamlNode node, String what, String expected) {
    return new ManifestException(
        at(node),
        what + " must be " + expected + " but is " + node.describe(),
        "write it as " + expected);
  }
}
