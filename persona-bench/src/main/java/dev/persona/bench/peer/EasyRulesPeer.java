package dev.persona.bench.peer;

import dev.persona.SignalSpec;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jeasy.rules.api.Facts;
import org.jeasy.rules.api.Rules;
import org.jeasy.rules.api.RulesEngine;
import org.jeasy.rules.core.DefaultRulesEngine;
import org.jeasy.rules.core.RuleBuilder;
import org.jeasy.rules.mvel.MVELCondition;

/**
 * The rule set in Easy Rules: each rule's condition translated mechanically into an MVEL expression
 * ({@link MVELCondition}), its action a Java lambda that adds the weights (times the {@code per}
 * scale read from the facts). A test of an absent fact is guarded with {@code isdef}, as MVEL
 * cannot resolve a missing variable. Input: Easy Rules {@link Facts}. Not thread-safe: the actions
 * write into the array of the {@link #score} call in progress.
 */
public final class EasyRulesPeer implements PersonaScorer<Facts> {
  private final RulesEngine engine = new DefaultRulesEngine();
  private final Rules rules = new Rules();
  private double[] target;

  /**
   * Builds one Easy Rules rule per rule of a rule set.
   *
   * @param ruleSet the rules
   * @param signals the signals the rules may test
   */
  public EasyRulesPeer(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Translation t = new Translation(signals);
    RuleWeights weights = new RuleWeights(ruleSet);
    List<Rule> source = ruleSet.rules();
    for (int i = 0; i < source.size(); i++) {
      Rule r = source.get(i);
      int index = i;
      String scaleKey = r.scaleKey();
      double cap = r.scaleCap();
      rules.register(
          new RuleBuilder()
              .name(r.id())
              .priority(i)
              .when(new MVELCondition(condition(r.when(), t)))
              .then(
                  facts -> {
                    double scale = 1;
                    if (scaleKey != null) {
                      Double v = facts.get(scaleKey);
                      scale = v == null ? 0 : Math.min(Math.max(v, 0), cap);
                    }
                    weights.add(index, scale, target);
                  })
              .build());
    }
  }

  /** Returns the MVEL source of a condition. */
  static String condition(Condition c, Translation t) {
    if (c instanceof Condition.All all) {
      return join(all.conditions(), " && ", "true", t);
    }
    if (c instanceof Condition.Any any) {
      return join(any.conditions(), " || ", "false", t);
    }
    if (c instanceof Condition.Not not) {
      return "!(" + condition(not.condition(), t) + ")";
    }
    if (c instanceof Condition.Exists e) {
      return "(isdef " + e.key() + ")";
    }
    if (c instanceof Condition.CompareSignals cmp) {
      t.scalar(cmp.key());
      t.scalar(cmp.other());
      return "((isdef "
          + cmp.key()
          + ") && (isdef "
          + cmp.other()
          + ") && "
          + cmp.key()
          + " "
          + Translation.operator(cmp.operator())
          + " "
          + cmp.other()
          + " * "
          + Translation.literal(cmp.factor())
          + ")";
    }
    String key;
    String test;
    if (c instanceof Condition.SetSize size) {
      key = size.key();
      t.set(key);
      test = key + ".size() " + Translation.operator(size.operator()) + " " + size.size();
    } else if (c instanceof Condition.Compare cmp) {
      key = cmp.key();
      t.scalar(key);
      test =
          key + " " + Translation.operator(cmp.operator()) + " " + Translation.literal(cmp.value());
    } else if (c instanceof Condition.In in) {
      key = in.key();
      t.scalar(key);
      test =
          in.values().stream()
              .map(v -> key + " == " + Translation.literal(v))
              .collect(Collectors.joining(" || ", "(", ")"));
    } else if (c instanceof Condition.Between b) {
      key = b.key();
      test =
          key
              + " >= "
              + Translation.literal(b.low())
              + " && "
              + key
              + " <= "
              + Translation.literal(b.high());
    } else {
      Condition.Text x = (Condition.Text) c;
      key = x.key();
      String value = x.ignoreCase() ? key + ".toLowerCase()" : key;
      String part = x.ignoreCase() ? x.text().toLowerCase(Locale.ROOT) : x.text();
      String method = x.operator() == Condition.TextOperator.PREFIX ? "startsWith" : "contains";
      test = value + "." + method + "(" + Translation.quote(part) + ")";
    }
    return "((isdef " + key + ") && " + test + ")";
  }

  private static String join(List<Condition> parts, String op, String empty, Translation t) {
    if (parts.isEmpty()) {
      return empty;
    }
    return parts.stream().map(p -> condition(p, t)).collect(Collectors.joining(op, "(", ")"));
  }

  @Override
  public Facts prepare(Map<String, Object> facts) {
    Facts out = new Facts();
    facts.forEach(out::put);
    return out;
  }

  @Override
  public void score(Facts facts, double[] scores) {
    Arrays.fill(scores, 0);
    target = scores;
    engine.fire(rules, facts);
    target = null;
    RuleWeights.clamp(scores);
  }
}
