package dev.persona.internal.rules;

import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.RuleSetException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles {@link Condition}s to {@link Predicate}s, checking keys and types. */
final class ConditionCompiler {
  private final Map<String, SignalSpec> specs;
  private final Map<String, Integer> slots;
  private final List<RuleSetException.Problem> problems;

  /** The slots that a text test ignoring case reads in lower case. */
  final Set<Integer> lowered = new HashSet<>();

  ConditionCompiler(
      Map<String, SignalSpec> specs,
      Map<String, Integer> slots,
      List<RuleSetException.Problem> problems) {
    this.specs = specs;
    this.slots = slots;
    this.problems = problems;
  }

  Predicate compile(Condition c, String path, boolean decidedKeysAllowed) {
    if (c instanceof Condition.All all) {
      List<Condition> parts = all.conditions();
      if (parts.isEmpty()) {
        return Predicate.TRUE;
      }
      return parts.size() == 1
          ? compile(parts.get(0), path + ".all[0]", decidedKeysAllowed)
          : new Predicate.And(compileAll(parts, path + ".all", decidedKeysAllowed));
    }
    if (c instanceof Condition.Any any) {
      List<Condition> parts = any.conditions();
      if (parts.isEmpty()) {
        return Predicate.FALSE;
      }
      return parts.size() == 1
          ? compile(parts.get(0), path + ".any[0]", decidedKeysAllowed)
          : new Predicate.Or(compileAll(parts, path + ".any", decidedKeysAllowed));
    }
    if (c instanceof Condition.Not not) {
      return new Predicate.Not(compile(not.condition(), path + ".not", decidedKeysAllowed));
    }
    if (c instanceof Condition.Exists e) {
      int slot = slot(e.key(), path, decidedKeysAllowed);
      return slot < 0 ? Predicate.FALSE : new Predicate.Exists(slot);
    }
    if (c instanceof Condition.Between b) {
      int slot = typed(b.key(), path, decidedKeysAllowed, "between", SignalType.NUMBER);
      return slot < 0 ? Predicate.FALSE : new Predicate.Between(slot, b.low(), b.high());
    }
    if (c instanceof Condition.Text t) {
      int slot = typed(t.key(), path, decidedKeysAllowed, "a text test", SignalType.TEXT);
      if (slot < 0) {
        return Predicate.FALSE;
      }
      Predicate.Text text =
          new Predicate.Text(
              slot, t.operator() == Condition.TextOperator.PREFIX, t.text(), t.ignoreCase());
      if (text.usesLowerCase()) {
        lowered.add(slot);
      }
      return text;
    }
    if (c instanceof Condition.Compare cmp) {
      return compare(cmp, path, decidedKeysAllowed);
    }
    if (c instanceof Condition.CompareSignals cmp) {
      // Both sides are checked, so that every problem of the test is reported at once.
      String what = "a comparison with another signal";
      int slot = typed(cmp.key(), path, decidedKeysAllowed, what, SignalType.NUMBER);
      String otherPath = path + "." + opName(cmp.operator()) + ".signal";
      int other = typed(cmp.other(), otherPath, decidedKeysAllowed, what, SignalType.NUMBER);
      return slot < 0 || other < 0
          ? Predicate.FALSE
          : new Predicate.CompareSignals(slot, code(cmp.operator()), other, cmp.factor());
    }
    if (c instanceof Condition.SetSize size) {
      int slot = typed(size.key(), path, decidedKeysAllowed, "a size test", SignalType.SET);
      return slot < 0
          ? Predicate.FALSE
          : new Predicate.SetSize(slot, anyCode(size.operator()), size.size());
    }
    Condition.In in = (Condition.In) c;
    return in(in, path, decidedKeysAllowed);
  }

  private Predicate[] compileAll(List<Condition> parts, String path, boolean decided) {
    Predicate[] out = new Predicate[parts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = compile(parts.get(i), path + "[" + i + "]", decided);
    }
    return out;
  }

  private Predicate compare(Condition.Compare cmp, String path, boolean decided) {
    SignalType type = typeOf(cmp.key(), decided);
    int slot = slot(cmp.key(), path, decided);
    if (slot < 0) {
      return Predicate.FALSE;
    }
    Condition.Operator op = cmp.operator();
    if (op.numeric()) {
      if (type != SignalType.NUMBER) {
        mismatch(path, cmp.key(), type, op.symbol() + " needs a NUMBER signal");
        return Predicate.FALSE;
      }
      return new Predicate.Compare(slot, code(op), (Double) cmp.value());
    }
    boolean negate = op == Condition.Operator.NE;
    Object v = cmp.value();
    if (!fits(type, v)) {
      mismatch(path, cmp.key(), type, "compare it with " + literalFor(type) + ", not " + v);
      return Predicate.FALSE;
    }
    switch (type) {
      case TEXT:
        return new Predicate.TextIn(slot, Set.of((String) v), negate);
      case SET:
        return new Predicate.SetHasAny(slot, Set.of((String) v), negate);
      case FLAG:
        return new Predicate.Compare(
            slot, negate ? Predicate.Compare.NE : Predicate.Compare.EQ, (Boolean) v ? 1 : 0);
      default:
        return new Predicate.Compare(
            slot, negate ? Predicate.Compare.NE : Predicate.Compare.EQ, (Double) v);
    }
  }

  private Predicate in(Condition.In in, String path, boolean decided) {
    SignalType type = typeOf(in.key(), decided);
    int slot = slot(in.key(), path, decided);
    if (slot < 0) {
      return Predicate.FALSE;
    }
    for (Object v : in.values()) {
      if (!fits(type, v)) {
        mismatch(
            path, in.key(), type, "its 'in' values must be " + literalFor(type) + ", not " + v);
        return Predicate.FALSE;
      }
    }
    if (type == SignalType.TEXT || type == SignalType.SET) {
      // A HashSet, not Set.copyOf: the immutable sets probe linearly without spreading hashes, so
      // a long list of short, similar strings (whose hash codes cluster) takes quadratic time to
      // build and long probes to test; HashSet spreads them and keeps colliding bins as trees.
      Set<String> values = new HashSet<>(Math.max(16, in.values().size() * 2));
      in.values().forEach(v -> values.add((String) v));
      Set<String> unmodifiable = Collections.unmodifiableSet(values);
      return type == SignalType.TEXT
          ? new Predicate.TextIn(slot, unmodifiable, false)
          : new Predicate.SetHasAny(slot, unmodifiable, false);
    }
    double[] values =
        in.values().stream()
            .mapToDouble(v -> v instanceof Boolean b ? (b ? 1 : 0) : (Double) v)
            .toArray();
    return new Predicate.NumberIn(slot, values);
  }

  /** Resolves a NUMBER key used outside a condition (a rule's scale). */
  int numberSlot(String key, String path) {
    return typed(key, path, false, "scaling", SignalType.NUMBER);
  }

  /** Returns the slots of the known keys among {@code keys} and {@code extra}. */
  int[] slotsOf(Set<String> keys, String extra) {
    List<Integer> out = new ArrayList<>();
    for (String k : keys) {
      Integer s = slots.get(k);
      if (s != null) {
        out.add(s);
      }
    }
    if (extra != null && slots.containsKey(extra) && !keys.contains(extra)) {
      out.add(slots.get(extra));
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private int typed(String key, String path, boolean decided, String what, SignalType want) {
    int slot = slot(key, path, decided);
    if (slot < 0) {
      return -1;
    }
    SignalType type = typeOf(key, decided);
    if (type != want) {
      mismatch(path, key, type, what + " needs a " + want + " signal");
      return -1;
    }
    return slot;
  }

  private int slot(String key, String path, boolean decidedKeysAllowed) {
    if (CompiledRuleSet.DECIDED_KEYS.contains(key)) {
      if (decidedKeysAllowed) {
        return slots.computeIfAbsent(
            CompiledRuleSet.decidedSlotKey(key), k -> SignalFrame.FIRST_SLOT + slots.size());
      }
      problems.add(
          RuleSetException.Problem.at(
              path,
              "'"
                  + key
                  + "' is decided after rules and assignments run; only variant conditions"
                  + " may test it"));
      return -1;
    }
    if (!specs.containsKey(key)) {
      String hint = closest(key);
      problems.add(
          RuleSetException.Problem.at(
              path,
              "unknown signal '"
                  + key
                  + "'"
                  + (hint == null
                      ? "; rules may test built-in signals, extractors' signals and signals the"
                          + " rule set declares"
                      : "; did you mean '" + hint + "'?")));
      return -1;
    }
    return slots.computeIfAbsent(key, k -> SignalFrame.FIRST_SLOT + slots.size());
  }

  private SignalType typeOf(String key, boolean decided) {
    if (decided && CompiledRuleSet.DECIDED_KEYS.contains(key)) {
      return SignalType.TEXT;
    }
    SignalSpec spec = specs.get(key);
    return spec == null ? null : spec.type();
  }

  private void mismatch(String path, String key, SignalType type, String message) {
    problems.add(RuleSetException.Problem.at(path, "'" + key + "' is " + type + ": " + message));
  }

  private static boolean fits(SignalType type, Object v) {
    switch (type) {
      case TEXT:
      case SET:
        return v instanceof String;
      case FLAG:
        return v instanceof Boolean;
      default:
        return v instanceof Double;
    }
  }

  private static String literalFor(SignalType type) {
    switch (type) {
      case TEXT:
      case SET:
        return "a string";
      case FLAG:
        return "true or false";
      default:
        return "a number";
    }
  }

  /** Returns the operator's name in rule files, under which a test writes its other signal. */
  private static String opName(Condition.Operator op) {
    return op.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static int anyCode(Condition.Operator op) {
    switch (op) {
      case EQ:
        return Predicate.Compare.EQ;
      case NE:
        return Predicate.Compare.NE;
      default:
        return code(op);
    }
  }

  private static int code(Condition.Operator op) {
    switch (op) {
      case GT:
        return Predicate.Compare.GT;
      case GTE:
        return Predicate.Compare.GTE;
      case LT:
        return Predicate.Compare.LT;
      default:
        return Predicate.Compare.LTE;
    }
  }

  private String closest(String key) {
    String best = null;
    int bestDistance = 3;
    for (String known : specs.keySet()) {
      int d = distance(key, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return best;
  }

  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) {
      return 3;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
