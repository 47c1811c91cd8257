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
 * (recognized by class name, so that this module needs no persona-rules) parsed from its JSON text.
 * Stateless and thread-safe.
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
      try {
        return new Json(content.toString()).document();
      } catch (IllegalArgumentException e) {
        return null;
      }
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

  /** A JSON reader for content a rule file has already checked; any fault is thrown as IAE. */
  private static final class Json {
    private final String text;
    private int pos;

    Json(String text) {
      this.text = text;
    }

    Value document() {
      Value v = value();
      space();
      if (pos != text.length()) {
        throw new IllegalArgumentException("trailing text");
      }
      return v;
    }

    private Value value() {
      space();
      char c = peek();
      switch (c) {
        case '{':
          return object();
        case '[':
          return array();
        case '"':
          return new Value(string());
        case 't':
          word("true");
          return new Value(true);
        case 'f':
          word("false");
          return new Value(false);
        case 'n':
          word("null");
          return new Value();
        default:
          return number();
      }
    }

    private Value object() {
      pos++;
      Map<String, Value> fields = new LinkedHashMap<>();
      space();
      if (peek() == '}') {
        pos++;
        return new Value(new ImmutableStructure(fields));
      }
      while (true) {
        space();
        if (peek() != '"') {
          throw new IllegalArgumentException("expected a key");
        }
        String key = string();
        space();
        expect(':');
        fields.put(key, value());
        space();
        if (peek() == ',') {
          pos++;
        } else {
          expect('}');
          return new Value(new ImmutableStructure(fields));
        }
      }
    }

    private Value array() {
      pos++;
      List<Value> items = new ArrayList<>();
      space();
      if (peek() == ']') {
        pos++;
        return new Value(items);
      }
      while (true) {
        items.add(value());
        space();
        if (peek() == ',') {
          pos++;
        } else {
          expect(']');
          return new Value(items);
        }
      }
    }

    private String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        char e = next();
        switch (e) {
          case 'b':
            sb.append('\b');
            break;
          case 'f':
            sb.append('\f');
            break;
          case 'n':
            sb.append('\n');
            break;
          case 'r':
            sb.append('\r');
            break;
          case 't':
            sb.append('\t');
            break;
          case 'u':
            if (pos + 4 > text.length()) {
              throw new IllegalArgumentException("short escape");
            }
            sb.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
            pos += 4;
            break;
          default:
            sb.append(e); // '"', '\\' and '/'
        }
      }
    }

    private Value number() {
      int start = pos;
      while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
        pos++;
      }
      String n = text.substring(start, pos);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("expected a value");
      }
      if (n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0) {
        try {
          return new Value(Integer.parseInt(n));
        } catch (NumberFormatException e) {
          // beyond int: a double, as OpenFeature's values have no long
        }
      }
      return new Value(Double.parseDouble(n));
    }

    private void word(String w) {
      if (!text.startsWith(w, pos)) {
        throw new IllegalArgumentException("expected a value");
      }
      pos += w.length();
    }

    private void expect(char c) {
      if (next() != c) {
        throw new IllegalArgumentException("unexpected character");
      }
    }

    private char peek() {
      if (pos >= text.length()) {
        throw new IllegalArgumentException("unexpected end");
      }
      return text.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void space() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }
  }
}
