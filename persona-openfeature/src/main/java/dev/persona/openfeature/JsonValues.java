package dev.persona.openfeature;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses a rule file's JSON content into an OpenFeature {@link Value} with jackson-core's streaming
 * parser, which persona-rules (the only source of such content) brings: loaded only when such
 * content is met, so this module needs neither at run time otherwise. Numbers that fit an {@code
 * int} stay integers, others are doubles. Stateless and thread-safe.
 */
final class JsonValues {
  /** A rule file's content is checked already; the same nesting bound as the rule format's. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
          .build();

  private JsonValues() {}

  /** Returns the JSON text's value, or null if it is not one JSON value. */
  static @Nullable Value parse(String json) {
    try (JsonParser p = FACTORY.createParser(json)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        return null;
      }
      Value v = value(p, first);
      return p.nextToken() == null ? v : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Value value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        Map<String, Value> fields = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
          String name = p.currentName();
          fields.put(name, value(p, p.nextToken()));
        }
        return new Value(new ImmutableStructure(fields));
      case START_ARRAY:
        List<Value> items = new ArrayList<>();
        for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
          items.add(value(p, i));
        }
        return new Value(List.copyOf(items));
      case VALUE_STRING:
        return new Value(p.getText());
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.INT
            ? new Value(p.getIntValue())
            : new Value(p.getDoubleValue());
      case VALUE_NUMBER_FLOAT:
        return new Value(p.getDoubleValue());
      case VALUE_TRUE:
        return new Value(true);
      case VALUE_FALSE:
        return new Value(false);
      case VALUE_NULL:
        return new Value();
      default:
        throw new IOException("unexpected " + t);
    }
  }
}
