package dev.persona.openfeature;

import dev.openfeature.sdk.ImmutableStructure;
import dev.openfeature.sdk.Value;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A variant's content as an OpenFeature {@link Value}: strings, numbers, booleans, maps and
 * collections as themselves, a {@code Value} as it is, and a rule file's {@code JsonContent}
 * (recognized by class name, so that this module needs no persona-rules) parsed from its JSON text
 * by {@link JsonValues}. Stateless and thread-safe.
 */
final class Contents {
  private static final String JSON_CONTENT = "dev.persona.rules.JsonContent";

  private Contents() {}

  /**
   * Returns the content as a value, or null when it has none this module can read.
   *
   * @param content the variant's content, not null
   */
  static @Nullable Value value(Object content) {
    if (content instanceof Value v) {
      return v;
    }
    if (content.getClass().getName().equals(JSON_CONTENT)) {
      // persona-rules, which makes JsonContent, brings jackson-core
      return JsonValues.parse(content.toString());
    }
    return plain(content);
  }

  private static @Nullable Value plain(@Nullable Object o) {
    if (o == null) {
      return new Value();
    }
    if (o instanceof String s) {
      return new Value(s);
    }
    if (o instanceof Boolean b) {
      return new Value(b);
    }
    if (o instanceof Integer i) {
      return new Value(i);
    }
    if (o instanceof Long l) {
      return l == (int) (long) l ? new Value((int) (long) l) : new Value((double) l);
    }
    if (o instanceof Number n) {
      return new Value(n.doubleValue());
    }
    if (o instanceof Value v) {
      return v;
    }
    if (o instanceof Map<?, ?> m) {
      Map<String, Value> fields = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        Value v = plain(e.getValue());
        if (!(e.getKey() instanceof String k) || v == null) {
          return null;
        }
        fields.put(k, v);
      }
      return new Value(new ImmutableStructure(fields));
    }
    if (o instanceof Collection<?> c) {
      List<Value> items = new ArrayList<>(c.size());
      for (Object item : c) {
        Value v = plain(item);
        if (v == null) {
          return null;
        }
        items.add(v);
      }
      return new Value(List.copyOf(items));
    }
    return null;
  }
}
