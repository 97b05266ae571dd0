package dev.kiln.cli.yaml;

import java.util.List;
import java.util.Map;

/**
 * A YAML value together with the line it starts on, so that every manifest error can point at the
 * line to fix. Jackson's own tree model drops token locations, hence this small model.
 */
public sealed interface YamlNode {

  /** 1-based line of the value's first token. */
  int line();

  /** What the node is, in the words an error message uses ("a map", "a list", "a string"). */
  String describe();

  /** A mapping; keys keep their document order. */
  record YamlMap(int line, Map<String, Entry> entries) implements YamlNode {
    public YamlMap {
      entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }

    @Override
    public String describe() {
      return "a map";
    }
  }

  /** One key of a mapping: the key's own line and its value. */
  record Entry(String key, int keyLine, YamlNode value) {}

  record YamlList(int line, List<YamlNode> items) implements YamlNode {
    public YamlList {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /**
   * A scalar as written in the document. {@code text} is the scalar's source text (so {@code 1.20}
   * stays "1.20", not 1.2); it is null only for {@link ScalarType#NULL}.
   */
  record YamlScalar(int line, String text, ScalarType type) implements YamlNode {
    @Override
    public String describe() {
      return switch (type) {
        case STRING -> "a string";
        case NUMBER -> "a number";
        case BOOLEAN -> "a boolean";
        case NULL -> "empty (null)";
      };
    }

    public boolean isNull() {
      return type == ScalarType.NULL;
    }
  }

  enum ScalarType {
    STRING,
    NUMBER,
    BOOLEAN,
    NULL
  }
}
