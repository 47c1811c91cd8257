package dev.persona.internal.rules;

import static dev.persona.internal.rules.RandomPredicates.NEEDLES;
import static dev.persona.internal.rules.RandomPredicates.NUMBERS;
import static dev.persona.internal.rules.RandomPredicates.TEXTS;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Random rule sets, through the public model, over eight signals the rule set declares (n0-n3
 * NUMBER, flag FLAG, t0-t1 TEXT, tags SET), comparisons of two numbers and set sizes included, with
 * the values of {@link RandomPredicates}; and the random signals of one request, to lay out in a
 * frame of any rule set compiled from them. Not thread-safe.
 */
final class RandomRuleSets {
  private static final String[] NUMBER_KEYS = {"n0", "n1", "n2", "n3"};
  private static final String[] TEXT_KEYS = {"t0", "t1"};
  private static final String[] KEYS = {"n0", "n1", "n2", "n3", "flag", "t0", "t1", "tags"};
  private static final String[] PERSONAS = {"p0", "p1", "p2", "p3"};

  private final RandomPredicates values;

  RandomRuleSets(RandomPredicates values) {
    this.values = values;
  }

  /** Returns a rule set of {@code rules} rules, a few assignments and two placements. */
  RuleSet ruleSet(int rules) {
    RuleSet.Builder b = RuleSet.builder("random");
    for (String key : KEYS) {
      b.signal(new SignalSpec(key, SignalKind.IMPLICIT, type(key), "random"));
    }
    for (String p : PERSONAS) {
      b.persona(new Persona(p, p, 0.1 + 0.2 * values.random.nextInt(5)));
    }
    for (int r = 0; r < rules; r++) {
      Rule.Builder rule = Rule.builder("r" + r).when(condition(3));
      int adds = 1 + values.random.nextInt(3);
      for (int i = 0; i < adds; i++) {
        rule.add(values.pick(PERSONAS), values.random.nextDouble() - 0.3);
      }
      if (values.random.nextInt(3) == 0) {
        rule.per(values.pick(NUMBER_KEYS), 1 + values.random.nextInt(4));
      }
      b.rule(rule.build());
    }
    int assignments = values.random.nextInt(7);
    for (int i = 0; i < assignments; i++) {
      b.lifecycle(new Assignment("l" + i, values.random.nextInt(3), condition(2)));
      b.stage(new Assignment("s" + i, values.random.nextInt(3), condition(2)));
    }
    for (int p = 0; p < 2; p++) {
      List<Variant> variants = new ArrayList<>();
      int n = 1 + values.random.nextInt(4);
      for (int v = 0; v < n; v++) {
        Variant.Builder variant = Variant.builder("v" + v).content("content " + v);
        variant.weight(0.5 + values.random.nextInt(3) * 0.25);
        if (values.random.nextBoolean()) {
          variant.targets(values.pick(PERSONAS));
        }
        variant.when(decided());
        variants.add(variant.build());
      }
      variants.add(Variant.builder("default").asDefault().build());
      b.placement(new Placement("place" + p, variants));
    }
    return b.build();
  }

  /** A condition on what evaluation decides, which variant conditions may test; never always. */
  private Condition decided() {
    return switch (values.random.nextInt(4)) {
      case 0 -> Condition.eq("persona", values.pick(PERSONAS));
      case 1 -> Condition.eq("lifecycle", "l" + values.random.nextInt(3));
      case 2 -> Condition.not(Condition.eq("stage", "s" + values.random.nextInt(3)));
      default -> Condition.all(condition(1), Condition.exists(values.pick(KEYS)));
    };
  }

  private Condition between(String key, double x) {
    double y = finite();
    return Condition.between(key, Math.min(x, y), Math.max(x, y));
  }

  /** Returns a condition of every kind, all, any and not nested up to {@code depth} deep. */
  Condition condition(int depth) {
    int kind = values.random.nextInt(depth > 0 ? 17 : 13);
    String number = values.pick(NUMBER_KEYS);
    String text = values.pick(TEXT_KEYS);
    double x = finite();
    return switch (kind) {
      case 0 -> Condition.exists(values.pick(KEYS));
      case 1 -> Condition.gt(number, x);
      case 2 -> Condition.gte(number, x);
      case 3 -> Condition.lt(number, x);
      case 4 -> values.random.nextBoolean() ? Condition.lte(number, x) : Condition.eq(number, x);
      case 5 -> values.random.nextBoolean() ? Condition.ne(number, x) : between(number, x);
      case 6 ->
          values.random.nextBoolean()
              ? Condition.eq("flag", values.random.nextBoolean())
              : Condition.ne("flag", values.random.nextBoolean());
      case 7 -> texts(text);
      case 8 ->
          values.random.nextBoolean()
              ? Condition.startsWith(text, values.pick(NEEDLES), values.random.nextBoolean())
              : Condition.contains(text, values.pick(NEEDLES), values.random.nextBoolean());
      case 9 ->
          values.random.nextBoolean()
              ? Condition.in(number, x, 1.0)
              : Condition.in("tags", values.pick(TEXTS), values.pick(TEXTS));
      case 10 -> values.random.nextBoolean() ? Condition.always() : Condition.any();
      case 11 -> compareSignals(number);
      case 12 ->
          Condition.setSize(
              "tags", values.pick(Condition.Operator.values()), values.random.nextInt(4));
      case 13 -> Condition.not(condition(depth - 1));
      case 14 -> Condition.all(parts(depth - 1));
      default -> Condition.any(parts(depth - 1));
    };
  }

  /** {@code key op other × factor}, another NUMBER signal, an ordering operator. */
  private Condition compareSignals(String key) {
    String other;
    do {
      other = values.pick(NUMBER_KEYS);
    } while (other.equals(key));
    Condition.Operator[] ordering = {
      Condition.Operator.GT, Condition.Operator.GTE, Condition.Operator.LT, Condition.Operator.LTE
    };
    return Condition.compareSignals(
        key, values.pick(ordering), other, values.pick(RandomPredicates.FACTORS));
  }

  private Condition texts(String key) {
    int n = values.random.nextInt(4) == 0 ? 1 + values.random.nextInt(TEXTS.length) : 1;
    List<Object> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add(values.pick(TEXTS));
    }
    return switch (values.random.nextInt(3)) {
      case 0 -> Condition.in(key, texts);
      case 1 -> Condition.eq(key, texts.get(0));
      default -> Condition.ne(key, texts.get(0));
    };
  }

  private Condition[] parts(int depth) {
    Condition[] out = new Condition[values.random.nextInt(4)];
    for (int i = 0; i < out.length; i++) {
      out[i] = condition(depth);
    }
    return out;
  }

  /** A value of {@link RandomPredicates#NUMBERS} that a condition may hold: not NaN or infinite. */
  private double finite() {
    double x;
    do {
      x = values.pick(NUMBERS);
    } while (!Double.isFinite(x));
    return x;
  }

  /** Returns the random signals of one request, by key, NaN and infinity among the numbers. */
  Map<String, Object> request() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : NUMBER_KEYS) {
      if (values.random.nextInt(4) > 0) {
        out.put(key, values.pick(NUMBERS));
      }
    }
    if (values.random.nextBoolean()) {
      out.put("flag", values.random.nextBoolean());
    }
    for (String key : TEXT_KEYS) {
      if (values.random.nextInt(4) > 0) {
        out.put(key, values.pick(TEXTS));
      }
    }
    if (values.random.nextBoolean()) {
      out.put("tags", RandomPredicates.set(values.random));
    }
    return out;
  }

  /** Returns a frame of {@code rules} holding the signals of {@code request}. */
  static SignalFrame frame(CompiledRuleSet rules, Map<String, Object> request) {
    SignalFrame f = rules.newFrame();
    request.forEach((key, value) -> f.putValue(rules.slot(key), value));
    return f;
  }

  private static SignalType type(String key) {
    return switch (key.charAt(0)) {
      case 'n' -> SignalType.NUMBER;
      case 'f' -> SignalType.FLAG;
      case 't' -> key.equals("tags") ? SignalType.SET : SignalType.TEXT;
      default -> throw new IllegalArgumentException(key);
    };
  }
}
