package dev.persona.rules.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import dev.persona.ruleset.Condition;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the condition objects of a rule file: combinators and tests of one signal. */
final class ConditionReader {
  private static final Set<String> OPERATORS =
      Set.of("eq", "ne", "in", "gt", "gte", "lt", "lte", "between", "exists", "prefix", "contains");

  private final JsonReading json;

  ConditionReader(JsonReading json) {
    this.json = json;
  }

  /** Reads the condition at the current token; null when it is unusable (problems recorded). */
  Condition read(String path) throws IOException {
    json.locations.put(path, json.here());
    if (json.p.currentToken() != JsonToken.START_OBJECT) {
      json.wrongType(path, "a condition object");
      return null;
    }
    JsonLocation start = json.here();
    Map<String, Object> parts = new LinkedHashMap<>();
    boolean broken = false;
    while (json.p.nextToken() == JsonToken.FIELD_NAME) {
      String name = json.p.currentName();
      JsonLocation at = json.here();
      json.p.nextToken();
      String fieldPath = path + "." + name;
      if (parts.containsKey(name)) {
        json.problem(at, fieldPath, "duplicate key '" + name + "'");
        json.p.skipChildren();
        broken = true;
        continue;
      }
      Object value = part(name, fieldPath, at);
      if (value == null) {
        broken = true;
      } else {
        parts.put(name, value);
      }
    }
    return broken ? null : assemble(parts, path, start);
  }

  private Object part(String name, String path, JsonLocation at) throws IOException {
    switch (name) {
      case "all":
      case "any":
        List<Condition> list = new ArrayList<>();
        boolean[] ok = {true};
        if (!json.array(
            path,
            (elementPath, i) -> {
              Condition c = read(elementPath);
              if (c == null) {
                ok[0] = false;
              } else {
                list.add(c);
              }
            })) {
          return null;
        }
        return ok[0] ? list : null;
      case "not":
        return read(path);
      case "signal":
      case "prefix":
      case "contains":
        return json.string(path);
      case "ignore_case":
      case "exists":
        return json.bool(path);
      case "gt":
      case "gte":
      case "lt":
      case "lte":
        return json.number(path);
      case "eq":
      case "ne":
        return json.literal(path);
      case "in":
        return in(path);
      case "between":
        return between(path);
      default:
        json.problem(
            at,
            path,
            "unknown field '"
                + name
                + "'; a condition is all, any, not, or signal with one of "
                + new java.util.TreeSet<>(OPERATORS));
        json.p.skipChildren();
        return null;
    }
  }

  private List<Object> in(String path) throws IOException {
    List<Object> values = new ArrayList<>();
    boolean[] ok = {true};
    if (!json.array(
        path,
        (elementPath, i) -> {
          Object v = json.literal(elementPath);
          if (v == null) {
            ok[0] = false;
          } else {
            values.add(v);
          }
        })) {
      return null;
    }
    if (ok[0] && values.isEmpty()) {
      json.problem(path, "'in' needs at least one value");
      return null;
    }
    return ok[0] ? values : null;
  }

  private double[] between(String path) throws IOException {
    List<Double> bounds = new ArrayList<>();
    boolean[] ok = {true};
    JsonLocation at = json.here();
    if (!json.array(
        path,
        (elementPath, i) -> {
          Double d = json.number(elementPath);
          if (d == null) {
            ok[0] = false;
          } else {
            bounds.add(d);
          }
        })) {
      return null;
    }
    if (!ok[0]) {
      return null;
    }
    if (bounds.size() != 2 || bounds.get(0) > bounds.get(1)) {
      json.problem(at, path, "'between' needs two numbers [low, high] with low <= high");
      return null;
    }
    return new double[] {bounds.get(0), bounds.get(1)};
  }

  @SuppressWarnings("unchecked")
  private Condition assemble(Map<String, Object> parts, String path, JsonLocation at) {
    List<String> combinators = new ArrayList<>();
    for (String c : List.of("all", "any", "not")) {
      if (parts.containsKey(c)) {
        combinators.add(c);
      }
    }
    List<String> operators = new ArrayList<>();
    for (String name : parts.keySet()) {
      if (OPERATORS.contains(name)) {
        operators.add(name);
      }
    }
    boolean test =
        parts.containsKey("signal") || !operators.isEmpty() || parts.containsKey("ignore_case");
    if (combinators.size() + (test ? 1 : 0) != 1) {
      json.problem(
          at,
          path,
          parts.isEmpty()
              ? "empty condition; expected all, any, not, or signal with an operator"
              : "a condition is exactly one of all, any, not, or a signal test; found "
                  + parts.keySet());
      return null;
    }
    if (!combinators.isEmpty()) {
      String c = combinators.get(0);
      Object v = parts.get(c);
      if (c.equals("not")) {
        return Condition.not((Condition) v);
      }
      List<Condition> list = (List<Condition>) v;
      return c.equals("all") ? new Condition.All(list) : new Condition.Any(list);
    }
    String key = (String) parts.get("signal");
    if (key == null) {
      json.problem(at, path, "missing 'signal' in a test of " + operators);
      return null;
    }
    if (operators.size() != 1) {
      json.problem(
          at,
          path,
          "a test of '"
              + key
              + "' needs exactly one operator of "
              + new java.util.TreeSet<>(OPERATORS)
              + "; found "
              + operators);
      return null;
    }
    String op = operators.get(0);
    Object v = parts.get(op);
    boolean ignoreCase = Boolean.TRUE.equals(parts.get("ignore_case"));
    if (parts.containsKey("ignore_case") && !op.equals("prefix") && !op.equals("contains")) {
      json.problem(at, path, "'ignore_case' applies only to prefix and contains");
      return null;
    }
    try {
      switch (op) {
        case "eq":
          return Condition.eq(key, v);
        case "ne":
          return Condition.ne(key, v);
        case "gt":
          return Condition.gt(key, (Double) v);
        case "gte":
          return Condition.gte(key, (Double) v);
        case "lt":
          return Condition.lt(key, (Double) v);
        case "lte":
          return Condition.lte(key, (Double) v);
        case "in":
          return Condition.in(key, (List<Object>) v);
        case "between":
          double[] b = (double[]) v;
          return Condition.between(key, b[0], b[1]);
        case "exists":
          return (Boolean) v ? Condition.exists(key) : Condition.not(Condition.exists(key));
        case "prefix":
          return Condition.startsWith(key, (String) v, ignoreCase);
        default:
          return Condition.contains(key, (String) v, ignoreCase);
      }
    } catch (IllegalArgumentException e) {
      json.problem(at, path, e.getMessage());
      return null;
    }
  }
}
