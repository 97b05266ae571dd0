package dev.kiln.cli.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.kiln.cli.yaml.YamlNode.Entry;
import dev.kiln.cli.yaml.YamlNode.ScalarType;
import dev.kiln.cli.yaml.YamlNode.YamlList;
import dev.kiln.cli.yaml.YamlNode.YamlMap;
import dev.kiln.cli.yaml.YamlNode.YamlScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the first YAML document of a text into a {@link YamlNode} tree, streaming Jackson's tokens
 * so that each node keeps the line it came from.
 */
public final class YamlTreeReader {
  // an empty plain scalar ("a:") is null in YAML; a quoted one ('') stays an empty string
  private static final YAMLFactory FACTORY =
      YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();

  /** Returns the document's root node, or empty when the text holds no document at all. */
  public Optional<YamlNode> read(String text) throws YamlSyntaxException {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return Optional.empty();
      }
      return Optional.of(readValue(parser));
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      // reading from a String fails only through the parser, which reports JsonProcessingException
      throw new IllegalStateException("tried to read YAML from memory but failed", e);
    }
  }

  private YamlNode readValue(JsonParser parser) throws IOException, YamlSyntaxException {
    int line = parser.currentTokenLocation().getLineNr();
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> readMap(parser, line);
      case START_ARRAY -> readList(parser, line);
      case VALUE_STRING -> new YamlScalar(line, parser.getText(), ScalarType.STRING);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
          new YamlScalar(line, parser.getText(), ScalarType.NUMBER);
      case VALUE_TRUE, VALUE_FALSE -> new YamlScalar(line, parser.getText(), ScalarType.BOOLEAN);
      case VALUE_NULL -> new YamlScalar(line, null, ScalarType.NULL);
      default ->
          throw new YamlSyntaxException(
              line,
              "unexpected YAML content (" + token + "); use plain maps, lists and scalars",
              null);
    };
  }

  private YamlMap readMap(JsonParser parser, int line) throws IOException, YamlSyntaxException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      int keyLine = parser.currentTokenLocation().getLineNr();
      parser.nextToken();
      YamlNode value = readValue(parser);
      Entry previous = entries.putIfAbsent(key, new Entry(key, keyLine, value));
      if (previous != null) {
        throw new YamlSyntaxException(
            keyLine,
            "key '" + key + "' appears twice (first on line " + previous.keyLine() + "); keep one",
            null);
      }
    }
    return new YamlMap(line, entries);
  }

  private YamlList readList(JsonParser parser, int line) throws IOException, YamlSyntaxException {
    List<YamlNode> items = new ArrayList<>();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      items.add(readValue(parser));
    }
    return new YamlList(line, items);
  }

  private static YamlSyntaxException syntaxError(JsonProcessingException e) {
    // SnakeYAML's own exception names the problem and its mark more precisely than Jackson's wrap
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      String problem = marked.getProblem() == null ? marked.getMessage() : marked.getProblem();
      return new YamlSyntaxException(marked.getProblemMark().getLine() + 1, firstLine(problem), e);
    }
    JsonLocation where = e.getLocation();
    int line = where == null ? 0 : Math.max(where.getLineNr(), 0);
    return new YamlSyntaxException(line, firstLine(e.getOriginalMessage()), e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid YAML";
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
