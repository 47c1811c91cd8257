package dev.persona.ruleset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A test over the signals of one request, used by rules, lifecycle and stage assignments and
 * variants. Build conditions with the static factories:
 *
 * <pre>{@code
 * Condition.all(
 *     Condition.eq("device", "mobile"),
 *     Condition.gte("sale_views", 2),
 *     Condition.not(Condition.exists("loyalty_member")))
 * }</pre>
 *
 * <p>Semantics: a test on an absent signal is false (so {@code not(eq(k, v))} is true when {@code
 * k} is absent, while {@code ne(k, v)} is false); comparisons apply to {@code NUMBER} signals;
 * {@code eq} and {@code in} on a {@code SET} signal test whether the set holds the value; text
 * tests apply to {@code TEXT} signals; {@link CompareSignals} compares two NUMBER signals and
 * {@link SetSize} the number of elements of a SET signal, both false when a signal they read is
 * absent. The engine checks, when it compiles a rule set, that every key is a declared signal and
 * that each test suits the signal's type.
 *
 * <p>Immutable and thread-safe; every implementation is a record.
 *
 * @since 0.1.0
 */
public sealed interface Condition {

  /** Every condition holds; true when empty. Immutable. */
  record All(List<Condition> conditions) implements Condition {
    /** Copies the list. */
    public All {
      conditions = List.copyOf(conditions);
    }

    @Override
    public String toString() {
      return conditions.isEmpty() ? "always" : join(conditions, " and ");
    }
  }

  /** At least one condition holds; false when empty. Immutable. */
  record Any(List<Condition> conditions) implements Condition {
    /** Copies the list. */
    public Any {
      conditions = List.copyOf(conditions);
    }

    @Override
    public String toString() {
      return conditions.isEmpty() ? "never" : join(conditions, " or ");
    }
  }

  /** The condition does not hold. Immutable. */
  record Not(Condition condition) implements Condition {
    /** Checks the argument. */
    public Not {
      Objects.requireNonNull(condition, "condition");
    }

    @Override
    public String toString() {
      return "not (" + condition + ")";
    }
  }

  /** Compares a signal with a value. Immutable. */
  record Compare(String key, Operator operator, Object value) implements Condition {
    /** Checks the arguments and normalises numbers to {@code Double}. */
    public Compare {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      value = literal(value);
      if (operator.numeric() && !(value instanceof Double)) {
        throw new IllegalArgumentException(
            operator.symbol() + " on '" + key + "' needs a number, not " + value);
      }
    }

    @Override
    public String toString() {
      return key + " " + operator.symbol() + " " + show(value);
    }
  }

  /**
   * The signal's value is one of the given values (for a SET signal: the sets intersect).
   * Immutable.
   */
  record In(String key, Set<Object> values) implements Condition {
    /** Checks the arguments and normalises numbers to {@code Double}. */
    public In {
      Objects.requireNonNull(key, "key");
      Set<Object> copy = new LinkedHashSet<>();
      for (Object v : values) {
        copy.add(literal(v));
      }
      values = java.util.Collections.unmodifiableSet(copy);
    }

    @Override
    public String toString() {
      return key
          + " in "
          + values.stream().map(Condition::show).collect(Collectors.joining(", ", "[", "]"));
    }
  }

  /** A NUMBER signal lies between two bounds, both included. Immutable. */
  record Between(String key, double low, double high) implements Condition {
    /** Checks the bounds. */
    public Between {
      Objects.requireNonNull(key, "key");
      if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
        throw new IllegalArgumentException(
            "between on '" + key + "' needs finite bounds low <= high, was " + low + ", " + high);
      }
    }

    @Override
    public String toString() {
      return key + " between " + show(low) + " and " + show(high);
    }
  }

  /** The signal is present. Immutable. */
  record Exists(String key) implements Condition {
    /** Checks the argument. */
    public Exists {
      Objects.requireNonNull(key, "key");
    }

    @Override
    public String toString() {
      return key + " exists";
    }
  }

  /**
   * Compares a NUMBER signal with another NUMBER signal times a factor: {@code key operator other ×
   * factor}, such as {@code days_since_last_order > avg_days_between_orders × 1.2}. False when
   * either signal is absent. Immutable.
   */
  record CompareSignals(String key, Operator operator, String other, double factor)
      implements Condition {
    /** The smallest factor: below, the comparison no longer reads the other signal's scale. */
    public static final double MIN_FACTOR = 0.01;

    /** The largest factor. */
    public static final double MAX_FACTOR = 100;

    /** Checks the arguments: an ordering operator, a factor in [0.01, 100]. */
    public CompareSignals {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(other, "other");
      if (!operator.numeric()) {
        throw new IllegalArgumentException(
            "a comparison of '" + key + "' with another signal needs gt, gte, lt or lte");
      }
      if (key.equals(other)) {
        throw new IllegalArgumentException("'" + key + "' is compared with itself");
      }
      if (!(factor >= MIN_FACTOR && factor <= MAX_FACTOR)) {
        throw new IllegalArgumentException(
            "the factor of '"
                + other
                + "' must be a number from 0.01 to 100 (1 compares the signals as they are), was "
                + factor);
      }
    }

    @Override
    public String toString() {
      return key
          + " "
          + operator.symbol()
          + " "
          + other
          + (factor == 1 ? "" : " x " + show(factor));
    }
  }

  /**
   * Compares the number of elements of a SET signal with a whole number: {@code size(key) operator
   * size}, such as {@code recently_viewed} holding three products or more. False when the signal is
   * absent. Immutable.
   */
  record SetSize(String key, Operator operator, int size) implements Condition {
    /** Checks the arguments: a size of 0 or more. */
    public SetSize {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      if (size < 0) {
        throw new IllegalArgumentException(
            "the size of '" + key + "' is compared with a whole number of 0 or more, was " + size);
      }
    }

    @Override
    public String toString() {
      return "size of " + key + " " + operator.symbol() + " " + size;
    }
  }

  /** A TEXT signal starts with, or contains, a string. Immutable. */
  record Text(String key, TextOperator operator, String text, boolean ignoreCase)
      implements Condition {
    /** Checks the arguments. */
    public Text {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(operator, "operator");
      Objects.requireNonNull(text, "text");
    }

    @Override
    public String toString() {
      return key
          + " "
          + operator.name().toLowerCase(Locale.ROOT)
          + (ignoreCase ? " (any case) " : " ")
          + show(text);
    }
  }

  /** Operators of {@link Compare}. Thread-safe: an enum. */
  enum Operator {
    /** Equal; for a SET signal, the set contains the value. */
    EQ("=", false),
    /** Present and not equal; for a SET signal, the set does not contain the value. */
    NE("!=", false),
    /** Greater than. */
    GT(">", true),
    /** Greater than or equal. */
    GTE(">=", true),
    /** Less than. */
    LT("<", true),
    /** Less than or equal. */
    LTE("<=", true);

    private final String symbol;
    private final boolean numeric;

    Operator(String symbol, boolean numeric) {
      this.symbol = symbol;
      this.numeric = numeric;
    }

    /**
     * Returns the operator as people write it.
     *
     * @return the symbol, such as {@code >=}
     */
    public String symbol() {
      return symbol;
    }

    /**
     * Returns whether the operator only applies to numbers.
     *
     * @return true for the ordering operators
     */
    public boolean numeric() {
      return numeric;
    }
  }

  /** Operators of {@link Text}. Thread-safe: an enum. */
  enum TextOperator {
    /** The value starts with the text. */
    PREFIX,
    /** The value contains the text. */
    CONTAINS
  }

  /**
   * Returns a condition that always holds.
   *
   * @return {@code all()} of nothing
   */
  static Condition always() {
    return new All(List.of());
  }

  /**
   * Returns a condition that holds when all of {@code conditions} hold.
   *
   * @param conditions the conditions
   * @return the conjunction
   */
  static Condition all(Condition... conditions) {
    return new All(Arrays.asList(conditions));
  }

  /**
   * Returns a condition that holds when any of {@code conditions} holds.
   *
   * @param conditions the conditions
   * @return the disjunction
   */
  static Condition any(Condition... conditions) {
    return new Any(Arrays.asList(conditions));
  }

  /**
   * Returns the negation of {@code condition}.
   *
   * @param condition the condition to negate
   * @return the negation
   */
  static Condition not(Condition condition) {
    return new Not(condition);
  }

  /**
   * Returns {@code key = value}.
   *
   * @param key the signal key
   * @param value a String, Number or Boolean
   * @return the condition
   */
  static Condition eq(String key, Object value) {
    return new Compare(key, Operator.EQ, value);
  }

  /**
   * Returns {@code key != value}: the signal is present and differs.
   *
   * @param key the signal key
   * @param value a String, Number or Boolean
   * @return the condition
   */
  static Condition ne(String key, Object value) {
    return new Compare(key, Operator.NE, value);
  }

  /**
   * Returns {@code key > value}.
   *
   * @param key a NUMBER signal key
   * @param value the bound
   * @return the condition
   */
  static Condition gt(String key, double value) {
    return new Compare(key, Operator.GT, value);
  }

  /**
   * Returns {@code key >= value}.
   *
   * @param key a NUMBER signal key
   * @param value the bound
   * @return the condition
   */
  static Condition gte(String key, double value) {
    return new Compare(key, Operator.GTE, value);
  }

  /**
   * Returns {@code key < value}.
   *
   * @param key a NUMBER signal key
   * @param value the bound
   * @return the condition
   */
  static Condition lt(String key, double value) {
    return new Compare(key, Operator.LT, value);
  }

  /**
   * Returns {@code key <= value}.
   *
   * @param key a NUMBER signal key
   * @param value the bound
   * @return the condition
   */
  static Condition lte(String key, double value) {
    return new Compare(key, Operator.LTE, value);
  }

  /**
   * Returns {@code low <= key <= high}.
   *
   * @param key a NUMBER signal key
   * @param low the lower bound, included
   * @param high the upper bound, included
   * @return the condition
   */
  static Condition between(String key, double low, double high) {
    return new Between(key, low, high);
  }

  /**
   * Returns a condition that holds when the signal's value is one of {@code values}.
   *
   * @param key the signal key
   * @param values Strings, Numbers or Booleans
   * @return the condition
   */
  static Condition in(String key, Object... values) {
    return new In(key, new LinkedHashSet<>(Arrays.asList(values)));
  }

  /**
   * Returns a condition that holds when the signal's value is one of {@code values}.
   *
   * @param key the signal key
   * @param values Strings, Numbers or Booleans
   * @return the condition
   */
  static Condition in(String key, Collection<?> values) {
    return new In(key, new LinkedHashSet<>(values));
  }

  /**
   * Returns a condition that holds when the signal is present.
   *
   * @param key the signal key
   * @return the condition
   */
  static Condition exists(String key) {
    return new Exists(key);
  }

  /**
   * Returns {@code key operator other × factor}: a NUMBER signal compared with another one.
   *
   * <pre>{@code
   * Condition.compareSignals(
   *     "days_since_last_order", Operator.GT, "avg_days_between_orders", 1.2)
   * }</pre>
   *
   * @param key a NUMBER signal key
   * @param operator {@code GT}, {@code GTE}, {@code LT} or {@code LTE}
   * @param other the NUMBER signal key compared with
   * @param factor what {@code other} is multiplied by, from 0.01 to 100
   * @return the condition, false when either signal is absent
   */
  static Condition compareSignals(String key, Operator operator, String other, double factor) {
    return new CompareSignals(key, operator, other, factor);
  }

  /**
   * Returns {@code size(key) operator size}: the number of elements of a SET signal compared with a
   * whole number, such as {@code setSize("recently_viewed", Operator.GTE, 3)}.
   *
   * @param key a SET signal key
   * @param operator any operator; {@code NE} holds for a present set of another size
   * @param size the number compared with, 0 or more
   * @return the condition, false when the signal is absent
   */
  static Condition setSize(String key, Operator operator, int size) {
    return new SetSize(key, operator, size);
  }

  /**
   * Returns a condition that holds when a TEXT signal starts with {@code prefix}.
   *
   * @param key a TEXT signal key
   * @param prefix the prefix
   * @param ignoreCase whether case is ignored
   * @return the condition
   */
  static Condition startsWith(String key, String prefix, boolean ignoreCase) {
    return new Text(key, TextOperator.PREFIX, prefix, ignoreCase);
  }

  /**
   * Returns a condition that holds when a TEXT signal contains {@code part}.
   *
   * @param key a TEXT signal key
   * @param part the text to look for
   * @param ignoreCase whether case is ignored
   * @return the condition
   */
  static Condition contains(String key, String part, boolean ignoreCase) {
    return new Text(key, TextOperator.CONTAINS, part, ignoreCase);
  }

  /**
   * Returns the signal keys this condition tests, in order of appearance, without repeats.
   *
   * @return the keys
   */
  default Set<String> keys() {
    Set<String> keys = new LinkedHashSet<>();
    collectKeys(this, keys);
    return keys;
  }

  private static void collectKeys(Condition c, Set<String> into) {
    if (c instanceof All all) {
      all.conditions().forEach(x -> collectKeys(x, into));
    } else if (c instanceof Any any) {
      any.conditions().forEach(x -> collectKeys(x, into));
    } else if (c instanceof Not not) {
      collectKeys(not.condition(), into);
    } else if (c instanceof CompareSignals x) {
      into.add(x.key());
      into.add(x.other());
    } else {
      into.add(key(c));
    }
  }

  /**
   * Returns the key tested by a leaf condition.
   *
   * @param leaf a condition other than all, any and not
   * @return its signal key
   */
  private static String key(Condition leaf) {
    if (leaf instanceof Compare x) {
      return x.key();
    } else if (leaf instanceof In x) {
      return x.key();
    } else if (leaf instanceof Between x) {
      return x.key();
    } else if (leaf instanceof Exists x) {
      return x.key();
    } else if (leaf instanceof SetSize x) {
      return x.key();
    }
    return ((Text) leaf).key();
  }

  private static Object literal(Object value) {
    Objects.requireNonNull(value, "value");
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("condition values must be finite, was " + d);
      }
      return d;
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    throw new IllegalArgumentException(
        "condition values must be String, Number or Boolean, not " + value.getClass().getName());
  }

  private static String show(Object value) {
    if (value instanceof String s) {
      return '"' + s + '"';
    }
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    return String.valueOf(value);
  }

  private static String join(List<Condition> conditions, String separator) {
    List<String> parts = new ArrayList<>();
    for (Condition c : conditions) {
      boolean compound =
          (c instanceof All a && a.conditions().size() > 1)
              || (c instanceof Any o && o.conditions().size() > 1);
      parts.add(compound ? "(" + c + ")" : c.toString());
    }
    return String.join(separator, parts);
  }
}
