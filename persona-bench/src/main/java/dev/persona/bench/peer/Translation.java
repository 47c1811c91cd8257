package dev.persona.bench.peer;

import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.ruleset.Condition;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** What the peers' rule translators share: signal types, literals and string escapes. */
final class Translation {
  private final Map<String, SignalSpec> specs = new HashMap<>();

  Translation(Collection<SignalSpec> signals) {
    for (SignalSpec s : signals) {
      specs.put(s.key(), s);
    }
  }

  /**
   * Returns the type of a signal that a comparison tests, refusing SET signals: the default rule
   * set tests them only for presence and size, and the peers do not translate set comparisons.
   */
  SignalType scalar(String key) {
    SignalSpec spec = specs.get(key);
    if (spec == null) {
      throw new IllegalArgumentException("unknown signal '" + key + "'");
    }
    if (spec.type() == SignalType.SET) {
      throw new IllegalArgumentException(
          "comparisons of SET signal '" + key + "' are not translated for peer engines");
    }
    return spec.type();
  }

  /** Checks that {@code key} is a SET signal, whose size a condition tests. */
  void set(String key) {
    SignalSpec spec = specs.get(key);
    if (spec == null || spec.type() != SignalType.SET) {
      throw new IllegalArgumentException("'" + key + "' is not a SET signal");
    }
  }

  /** Returns a comparison operator as C-like languages write it. */
  static String operator(Condition.Operator op) {
    return switch (op) {
      case EQ -> "==";
      case NE -> "!=";
      case GT -> ">";
      case GTE -> ">=";
      case LT -> "<";
      case LTE -> "<=";
    };
  }

  /** Returns a double-quoted string literal with backslashes and quotes escaped. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /** Returns a literal: a quoted string, {@code true}/{@code false}, or a double such as 3.0. */
  static String literal(Object v) {
    if (v instanceof String s) {
      return quote(s);
    }
    if (v instanceof Double d) {
      return Double.toString(d);
    }
    return String.valueOf(v);
  }
}
