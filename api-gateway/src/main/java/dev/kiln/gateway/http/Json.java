package dev.kiln.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway's JSON mapper and the translation of Jackson errors into messages naming the field.
 */
public final class Json {
  /**
   * Strict: unknown fields, duplicate keys and "true"-as-string are errors, so typos are reported,
   * not ignored.
   */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .withCoercionConfig(
              LogicalType.Textual,
              config -> {
                config.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
                config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
                config.setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
              })
          .build();

  private Json() {}

  /**
   * Reads {@code body} as a {@code type}; any problem is a 400 naming the field and the fix. Texts
   * with NUL or unpaired surrogates are refused here, at the edge: PostgreSQL cannot store the
   * first and silently turns the second into '?'. Messages never show Java types.
   */
  public static <T> T read(InputStream body, Class<T> type) throws IOException {
    try {
      JsonNode tree = MAPPER.readTree(body);
      if (tree == null || tree.isMissingNode()) {
        throw ApiException.badRequest(
            "the request body is empty or not a single JSON object; send one JSON object");
      }
      if (tree.isNull()) {
        throw ApiException.badRequest("the request body is null; send a JSON object");
      }
      JsonText.check(tree);
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      Collection<Object> known = e.getKnownPropertyIds();
      throw ApiException.badRequest(
          "unknown field "
              + fieldPath(e)
              + " in the request body; allowed fields there: "
              + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty()) {
        throw ApiException.badRequest(
            "the request body is empty or not a single JSON object; send one JSON object");
      }
      throw ApiException.badRequest(
          "field "
              + fieldPath(e)
              + " must be "
              + describe(e.getTargetType())
              + "; fix it in the request body");
    } catch (JsonMappingException e) {
      throw ApiException.badRequest(
          "field "
              + fieldPath(e)
              + " does not hold the JSON value expected there; see the kiln HTTP API for its type");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest(
          "the request body is not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
              + "); send a JSON object");
    }
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("tried to encode a response as JSON but failed", e);
    }
  }

  public static String writeString(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("tried to encode a value as JSON but failed", e);
    }
  }

  /**
   * {@code text} without NUL characters, which PostgreSQL accepts neither in text nor in jsonb
   * (BuildKit logs may contain them); each becomes U+FFFD.
   */
  public static String storable(String text) {
    return text == null || text.indexOf('\0') < 0 ? text : text.replace('\0', '\uFFFD');
  }

  /** "params.args.A" or "params.platforms[1]" for the place Jackson stopped at. */
  static String fieldPath(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "(body)" : path.toString();
  }

  private static String describe(Class<?> type) {
    if (type == null) {
      return "of another type";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean (true or false)";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray() || type == List.class) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object of string values";
    }
    return "an object";
  }
}
