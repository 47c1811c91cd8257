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

/**
 * Reads the condition objects of a rule file: combinators and tests of one signal, which may
 * compare it with another signal ({@code "gt": {"signal": K, "times": F}}) or test a set's size
 * ({@code "size": {"gte": N}}).
 */
final class ConditionReader {
  private static final Set<String> OPERATORS =
      Set.of(
          "eq",
          "ne",
          "in",
          "gt",
          "gte",
          "lt",
          "lte",
          "between",
          "exists",
          "prefix",
          "contains",
          "size");

  /** The operators of a size test, with their meaning. */
  private static final Map<String, Condition.Operator> SIZE_OPERATORS =
      Map.of(
          "eq", Condition.Operator.EQ,
          "ne", Condition.Operator.NE,
          "gt", Condition.Operator.GT,
          "gte", Condition.Operator.GTE,
          "lt", Condition.Operator.LT,
          "lte", Condition.Operator.LTE);

  /** The other signal of a comparison, {@code {"signal": KEY, "times": FACTOR}}. */
  private record Other(String key, double times) {}

  /** The comparison of a size test, {@code {"gte": 3}}. */
  private record Size(Condition.Operator operator, int size) {}

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
        return json.p.currentToken() == JsonToken.START_OBJECT ? other(path) : json.number(path);
      case "size":
        return size(path);
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

  /**
   * Reads {@code {"signal": KEY, "times": FACTOR}}, the other signal of a comparison; the factor is
   * optional (1) and must lie in [0.01, 100].
   */
  private Other other(String path) throws IOException {
    String[] key = {null};
    Double[] times = {1.0};
    boolean[] ok = {true};
    Map<String, JsonReading.Field> fields = new LinkedHashMap<>();
    fields.put(
        "signal",
        fieldPath -> {
          key[0] = json.string(fieldPath);
          ok[0] &= key[0] != null;
        });
    fields.put(
        "times",
        fieldPath -> {
          times[0] = json.number(fieldPath);
          if (times[0] == null) {
            ok[0] = false;
          } else if (!(times[0] >= Condition.CompareSignals.MIN_FACTOR
              && times[0] <= Condition.CompareSignals.MAX_FACTOR)) {
            json.problem(
                json.locations.get(fieldPath),
                fieldPath,
                "'times' must be from 0.01 to 100 (1 compares the signals as they are), was "
                    + times[0]);
            ok[0] = false;
          }
        });
    int before = json.problems.size();
    if (!json.object(path, fields, Set.of("signal"))) {
      return null;
    }
    return ok[0] && key[0] != null && json.problems.size() == before
        ? new Other(key[0], times[0])
        : null;
  }

  /** Reads {@code {"gte": N}}: one operator and a whole number of 0 or more. */
  private Size size(String path) throws IOException {
    List<Size> found = new ArrayList<>();
    boolean[] ok = {true};
    Map<String, JsonReading.Field> fields = new LinkedHashMap<>();
    for (Map.Entry<String, Condition.Operator> e : SIZE_OPERATORS.entrySet()) {
      fields.put(
          e.getKey(),
          fieldPath -> {
            Integer n = json.integer(fieldPath);
            if (n == null) {
              ok[0] = false;
            } else if (n < 0) {
              json.problem(
                  json.locations.get(fieldPath),
                  fieldPath,
                  "a set's size is compared with a whole number of 0 or more, not " + n);
              ok[0] = false;
            } else {
              found.add(new Size(e.getValue(), n));
            }
          });
    }
    JsonLocation at = json.here();
    int before = json.problems.size();
    if (!json.object(path, fields, Set.of())) {
      return null;
    }
    if (!ok[0] || json.problems.size() != before) {
      return null;
    }
    if (found.size() != 1) {
      json.problem(
          at,
          path,
          "'size' needs exactly one of "
              + new java.util.TreeSet<>(SIZE_OPERATORS.keySet())
              + " with a whole number, such as {\"gte\": 3}");
      return null;
    }
    return found.get(0);
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

  private static Condition.Operator operator(String op) {
    switch (op) {
      case "gt":
        return Condition.Operator.GT;
      case "gte":
        return Condition.Operator.GTE;
      case "lt":
        return Condition.Operator.LT;
      default:
        return Condition.Operator.LTE;
    }
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
      if (v instanceof Other other) {
        return Condition.compareSignals(key, operator(op), other.key(), other.times());
      }
      switch (op) {
        case "size":
          Size size = (Size) v;
          return Condition.setSize(key, size.operator(), size.size());
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
