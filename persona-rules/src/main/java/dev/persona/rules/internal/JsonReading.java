package dev.persona.rules.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.persona.ruleset.RuleSetException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The token-level half of reading a rule file: typed values, objects with known fields, arrays, and
 * a problem list with positions. Every method starts on the current token (the value) and leaves
 * the parser on the value's last token, whether the value was usable or not, so that one bad value
 * never stops the rest of the file from being checked.
 */
class JsonReading {
  static final int MAX_PROBLEMS = 100;

  final String source;
  final JsonParser p;
  final List<RuleSetException.Problem> problems = new ArrayList<>();
  final Map<String, JsonLocation> locations = new HashMap<>();

  JsonReading(String source, JsonParser p) {
    this.source = source;
    this.p = p;
  }

  /** A handler of one field's value. */
  interface Field {
    void read(String path) throws IOException;
  }

  JsonLocation here() {
    return p.currentTokenLocation();
  }

  void problem(JsonLocation at, String path, String message) {
    if (problems.size() < MAX_PROBLEMS) {
      problems.add(
          new RuleSetException.Problem(
              source,
              at == null ? 0 : Math.max(1, at.getLineNr()),
              at == null ? 0 : Math.max(1, at.getColumnNr()),
              path,
              message));
    }
  }

  void problem(String path, String message) {
    problem(here(), path, message);
  }

  /** Records a wrong type at the current value and skips it. */
  void wrongType(String path, String expected) throws IOException {
    problem(path, "expected " + expected + ", found " + describe(p.currentToken()));
    p.skipChildren();
  }

  String string(String path) throws IOException {
    locations.put(path, here());
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      wrongType(path, "a string");
      return null;
    }
    return p.getText();
  }

  Double number(String path) throws IOException {
    locations.put(path, here());
    if (!p.currentToken().isNumeric()) {
      wrongType(path, "a number");
      return null;
    }
    double d = p.getDoubleValue();
    if (!Double.isFinite(d)) {
      problem(path, "expected a finite number");
      return null;
    }
    return d;
  }

  Integer integer(String path) throws IOException {
    locations.put(path, here());
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      wrongType(path, "a whole number");
      return null;
    }
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      problem(
          path,
          "expected a whole number between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
      return null;
    }
    return p.getIntValue();
  }

  Boolean bool(String path) throws IOException {
    locations.put(path, here());
    JsonToken t = p.currentToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      wrongType(path, "true or false");
      return null;
    }
    return t == JsonToken.VALUE_TRUE;
  }

  /** Returns a string that must be one of {@code allowed}, or null after reporting it. */
  String choice(String path, String... allowed) throws IOException {
    String s = string(path);
    if (s != null && !List.of(allowed).contains(s)) {
      problem(path, "expected one of " + List.of(allowed) + ", found '" + s + "'");
      return null;
    }
    return s;
  }

  /** Returns a string, number or boolean value as String, Double or Boolean. */
  Object literal(String path) throws IOException {
    locations.put(path, here());
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    } else if (t != null && t.isNumeric()) {
      return number(path);
    } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    wrongType(path, "a string, number or boolean");
    return null;
  }

  /**
   * Reads an object whose fields must be among {@code fields}; reports unknown and repeated fields,
   * and fields in {@code required} that are missing.
   *
   * @return false when the value is not an object
   */
  boolean object(String path, Map<String, Field> fields, Set<String> required) throws IOException {
    locations.put(path, here());
    if (p.currentToken() != JsonToken.START_OBJECT) {
      wrongType(path, "an object");
      return false;
    }
    JsonLocation start = here();
    Set<String> seen = new HashSet<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonLocation at = here();
      p.nextToken();
      String fieldPath = path + "." + name;
      Field f = fields.get(name);
      if (!seen.add(name)) {
        problem(at, fieldPath, "duplicate key '" + name + "'");
        p.skipChildren();
      } else if (f == null) {
        problem(
            at,
            fieldPath,
            "unknown field '"
                + name
                + "'; expected one of "
                + new java.util.TreeSet<>(fields.keySet()));
        p.skipChildren();
      } else {
        f.read(fieldPath);
      }
    }
    for (String r : required) {
      if (!seen.contains(r)) {
        problem(start, path, "missing required field '" + r + "'");
      }
    }
    return true;
  }

  /** Reads an array, handing each element's path and index to {@code element}. */
  boolean array(String path, ElementReader element) throws IOException {
    locations.put(path, here());
    if (p.currentToken() != JsonToken.START_ARRAY) {
      wrongType(path, "an array");
      return false;
    }
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      element.read(path + "[" + i + "]", i);
      i++;
    }
    return true;
  }

  /** A reader of one array element. */
  interface ElementReader {
    void read(String path, int index) throws IOException;
  }

  /** Returns the current value as a list of strings, reporting what is not a string. */
  List<String> strings(String path) throws IOException {
    List<String> out = new ArrayList<>();
    array(
        path,
        (elementPath, i) -> {
          String s = string(elementPath);
          if (s != null) {
            out.add(s);
          }
        });
    return out;
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "the end of the file";
    }
    switch (t) {
      case START_OBJECT:
        return "an object";
      case START_ARRAY:
        return "an array";
      case VALUE_STRING:
        return "a string";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "a number";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "a boolean";
      case VALUE_NULL:
        return "null";
      default:
        return t.name().toLowerCase(Locale.ROOT);
    }
  }
}
