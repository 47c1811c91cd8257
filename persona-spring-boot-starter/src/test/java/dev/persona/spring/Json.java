package dev.persona.spring;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Reads Actuator's JSON answers with Spring Boot's own parser, which every Boot line has.
 * Stateless.
 */
final class Json {
  private Json() {}

  /** Parses a JSON object. */
  static Map<String, Object> parse(String text) {
    return JsonParserFactory.getJsonParser().parseMap(text);
  }

  /** Returns the value at a path of keys, or null where one is missing. */
  static @Nullable Object at(Map<String, Object> json, String... path) {
    Object node = json;
    for (String key : path) {
      if (!(node instanceof Map<?, ?> m)) {
        return null;
      }
      node = m.get(key);
    }
    return node;
  }

  /** Returns the text at a path, or "" where it is missing. */
  static String text(Map<String, Object> json, String... path) {
    Object v = at(json, path);
    return v == null ? "" : v.toString();
  }

  /** Returns the number at a path, or -1 where it is missing. */
  static double number(Map<String, Object> json, String... path) {
    return at(json, path) instanceof Number n ? n.doubleValue() : -1;
  }

  /** Returns one statistic of an Actuator metric, such as COUNT. */
  static double measurement(String metric, String statistic) {
    Map<String, Object> json = parse(metric);
    if (json.get("measurements") instanceof List<?> ms) {
      for (Object m : ms) {
        if (m instanceof Map<?, ?> mm && statistic.equals(mm.get("statistic"))) {
          return ((Number) mm.get("value")).doubleValue();
        }
      }
    }
    throw new AssertionError("no " + statistic + " in " + metric);
  }
}
