package dev.persona.redis.load;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The load test's wire format, both ways: one line of URL-encoded {@code key=value} pairs joined by
 * {@code &}, as an HTML form posts them; a key may repeat. Not thread-safe; each request builds and
 * reads its own.
 */
final class Form {
  private final List<Map.Entry<String, String>> pairs = new ArrayList<>();

  /** Adds a pair; a null value adds nothing. */
  Form add(String key, @Nullable Object value) {
    if (value != null) {
      pairs.add(Map.entry(key, value.toString()));
    }
    return this;
  }

  /** Returns the first value of the key, or null. */
  @Nullable String first(String key) {
    for (Map.Entry<String, String> p : pairs) {
      if (p.getKey().equals(key)) {
        return p.getValue();
      }
    }
    return null;
  }

  /** Returns the first value of the key as a long, or {@code missing}. */
  long number(String key, long missing) {
    String v = first(key);
    return v == null || v.isEmpty() ? missing : Long.parseLong(v);
  }

  /** Returns every value of the key, in order. */
  List<String> all(String key) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, String> p : pairs) {
      if (p.getKey().equals(key)) {
        out.add(p.getValue());
      }
    }
    return out;
  }

  /** Returns the pairs, in order. */
  List<Map.Entry<String, String>> pairs() {
    return pairs;
  }

  String encode() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> p : pairs) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  static Form parse(@Nullable String line) {
    Form f = new Form();
    if (line == null || line.isBlank()) {
      return f;
    }
    for (String pair : line.strip().split("&", -1)) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      f.add(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return f;
  }

  @Override
  public String toString() {
    return "Form{" + pairs.size() + " pairs}";
  }
}
