package dev.persona.bench.peer;

import dev.persona.SignalSpec;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import io.github.jamsesso.jsonlogic.JsonLogic;
import io.github.jamsesso.jsonlogic.JsonLogicException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule set in JsonLogic (json-logic-java): each rule translated mechanically into one JsonLogic
 * expression, {@code {"if": [condition, scale, 0]}}, evaluated with {@link JsonLogic#apply} (which
 * parses each expression once and caches it); the host adds the weights and clamps. A {@code var}
 * of an absent fact is null, which no comparison matches, as a test of an absent signal does not.
 * JsonLogic has no case-insensitive substring test, so {@code contains}/{@code prefix} with {@code
 * ignore_case} use two added operations, {@code contains_ci} and {@code starts_with_ci} (added
 * operations are JsonLogic's extension mechanism). Input: the data map, sets as lists.
 */
public final class JsonLogicPeer implements PersonaScorer<Map<String, Object>> {
  private final JsonLogic logic = new JsonLogic();
  private final String[] expressions;
  private final RuleWeights weights;

  /**
   * Translates every rule of a rule set.
   *
   * @param ruleSet the rules
   * @param signals the signals the rules may test
   */
  public JsonLogicPeer(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Translation t = new Translation(signals);
    logic.addOperation("contains_ci", args -> text(args, false));
    logic.addOperation("starts_with_ci", args -> text(args, true));
    logic.addOperation("size", JsonLogicPeer::size);
    this.expressions = ruleSet.rules().stream().map(r -> expression(r, t)).toArray(String[]::new);
    this.weights = new RuleWeights(ruleSet);
  }

  /** The size of a list; json-logic-java may hand a single list argument over spread. */
  private static int size(Object[] args) {
    if (args.length == 1 && args[0] instanceof java.util.Collection<?> list) {
      return list.size();
    }
    if (args.length == 1 && args[0] instanceof Object[] array) {
      return array.length;
    }
    return args.length;
  }

  private static boolean text(Object[] args, boolean prefix) {
    if (!(args[0] instanceof String value) || !(args[1] instanceof String part)) {
      return false;
    }
    if (prefix) {
      return value.regionMatches(true, 0, part, 0, part.length());
    }
    return HandWrittenPeer.containsIgnoreCase(value, part);
  }

  /** Returns the JsonLogic source of a rule: its condition, then its scale. */
  static String expression(Rule r, Translation t) {
    String scale =
        r.scaleKey() == null
            ? "1"
            : "{\"min\": [{\"max\": ["
                + variable(r.scaleKey())
                + ", 0]}, "
                + Translation.literal(r.scaleCap())
                + "]}";
    return "{\"if\": [" + condition(r.when(), t) + ", " + scale + ", 0]}";
  }

  static String condition(Condition c, Translation t) {
    if (c instanceof Condition.All all) {
      return join("and", all.conditions(), "true", t);
    }
    if (c instanceof Condition.Any any) {
      return join("or", any.conditions(), "false", t);
    }
    if (c instanceof Condition.Not not) {
      return "{\"!\": [" + condition(not.condition(), t) + "]}";
    }
    if (c instanceof Condition.Exists e) {
      return present(e.key());
    }
    if (c instanceof Condition.CompareSignals cmp) {
      t.scalar(cmp.key());
      t.scalar(cmp.other());
      String scaled =
          "{\"*\": [" + variable(cmp.other()) + ", " + Translation.literal(cmp.factor()) + "]}";
      return "{\"and\": ["
          + present(cmp.key())
          + ", "
          + present(cmp.other())
          + ", "
          + op(Translation.operator(cmp.operator()), variable(cmp.key()), scaled)
          + "]}";
    }
    if (c instanceof Condition.SetSize size) {
      t.set(size.key());
      String test =
          op(
              Translation.operator(size.operator()),
              "{\"size\": [" + variable(size.key()) + "]}",
              Integer.toString(size.size()));
      return "{\"and\": [" + present(size.key()) + ", " + test + "]}";
    }
    if (c instanceof Condition.Compare cmp) {
      t.scalar(cmp.key());
      String v = Translation.literal(cmp.value());
      return switch (cmp.operator()) {
        case EQ -> op("===", variable(cmp.key()), v);
        case NE ->
            "{\"and\": [" + present(cmp.key()) + ", " + op("!==", variable(cmp.key()), v) + "]}";
        default -> op(Translation.operator(cmp.operator()), variable(cmp.key()), v);
      };
    }
    if (c instanceof Condition.In in) {
      t.scalar(in.key());
      return op(
          "in",
          variable(in.key()),
          in.values().stream()
              .map(Translation::literal)
              .collect(Collectors.joining(", ", "[", "]")));
    }
    if (c instanceof Condition.Between b) {
      return "{\"<=\": ["
          + Translation.literal(b.low())
          + ", "
          + variable(b.key())
          + ", "
          + Translation.literal(b.high())
          + "]}";
    }
    Condition.Text x = (Condition.Text) c;
    boolean prefix = x.operator() == Condition.TextOperator.PREFIX;
    if (x.ignoreCase()) {
      return op(
          prefix ? "starts_with_ci" : "contains_ci",
          variable(x.key()),
          Translation.quote(x.text().toLowerCase(Locale.ROOT)));
    }
    if (prefix) {
      return op(
          "===",
          "{\"substr\": [" + variable(x.key()) + ", 0, " + x.text().length() + "]}",
          Translation.quote(x.text()));
    }
    return "{\"and\": ["
        + present(x.key())
        + ", "
        + op("in", Translation.quote(x.text()), variable(x.key()))
        + "]}";
  }

  private static String join(String op, List<Condition> parts, String empty, Translation t) {
    if (parts.isEmpty()) {
      return empty;
    }
    return parts.stream()
        .map(p -> condition(p, t))
        .collect(Collectors.joining(", ", "{\"" + op + "\": [", "]}"));
  }

  private static String op(String op, String left, String right) {
    return "{\"" + op + "\": [" + left + ", " + right + "]}";
  }

  private static String variable(String key) {
    return "{\"var\": " + Translation.quote(key) + "}";
  }

  private static String present(String key) {
    return op("!==", variable(key), "null");
  }

  @Override
  public Map<String, Object> prepare(Map<String, Object> facts) {
    Map<String, Object> data = new HashMap<>(facts.size() * 2);
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      Object v = e.getValue();
      data.put(e.getKey(), v instanceof Set<?> set ? List.copyOf(set) : v);
    }
    return data;
  }

  @Override
  public void score(Map<String, Object> data, double[] scores) {
    Arrays.fill(scores, 0);
    try {
      for (int r = 0; r < expressions.length; r++) {
        weights.add(r, ((Number) logic.apply(expressions[r], data)).doubleValue(), scores);
      }
    } catch (JsonLogicException e) {
      throw new IllegalStateException(e);
    }
    RuleWeights.clamp(scores);
  }
}
