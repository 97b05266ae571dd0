package dev.kiln.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Refuses JSON texts (values and keys) that are not storable Unicode, naming the field. */
final class JsonText {
  private JsonText() {}

  static void check(JsonNode tree) {
    check(tree, "");
  }

  private static void check(JsonNode node, String path) {
    if (node.isTextual()) {
      text(node.textValue(), path.isEmpty() ? "(body)" : path);
    } else if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
        text(field.getKey(), "name of " + printable(child));
        check(field.getValue(), child);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), path + "[" + i + "]");
      }
    }
  }

  private static void text(String value, String field) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\0') {
        throw ApiException.badRequest(
            "field "
                + printable(field)
                + " contains a NUL character (\\u0000), which kiln cannot store; remove it");
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw ApiException.badRequest(
            "field "
                + printable(field)
                + " contains an unpaired UTF-16 surrogate (\\u"
                + Integer.toHexString(c)
                + "), which is not Unicode text; send valid UTF-8");
      }
    }
  }

  /** The field path with NUL and surrogates escaped, so the message itself is storable. */
  private static String printable(String field) {
    StringBuilder out = new StringBuilder();
    for (char c : field.toCharArray()) {
      if (c == '\0' || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
