package dev.persona.bench.peer;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.persona.SignalSpec;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The rule set in Google's Common Expression Language (CEL-Java): each rule translated mechanically
 * into one CEL program over a variable {@code s} of type {@code map(string, dyn)} that evaluates to
 * the rule's scale ({@code 0.0} when it does not fire, else 1.0 or its capped {@code per} signal);
 * the host adds the weights and clamps. A test of an absent signal is guarded with {@code
 * has(s.key)}, as CEL reports a missing map key as an error. Input: the activation {@code {"s":
 * facts}}, sets as lists.
 */
public final class CelPeer implements PersonaScorer<Map<String, Object>> {
  private final CelRuntime.Program[] programs;
  private final RuleWeights weights;

  /**
   * Compiles every rule of a rule set to a CEL program.
   *
   * @param ruleSet the rules
   * @param signals the signals the rules may test
   */
  public CelPeer(RuleSet ruleSet, Collection<SignalSpec> signals) {
    Translation t = new Translation(signals);
    Cel cel =
        CelFactory.legacyCelBuilder()
            .setOptions(CelOptions.current().build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("s", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.math())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math())
            .build();
    List<CelRuntime.Program> out = new ArrayList<>();
    for (Rule r : ruleSet.rules()) {
      String source = expression(r, t);
      try {
        out.add(cel.createProgram(cel.compile(source).getAst()));
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("rule '" + r.id() + "': " + source, e);
      }
    }
    this.programs = out.toArray(new CelRuntime.Program[0]);
    this.weights = new RuleWeights(ruleSet);
  }

  /** Returns the CEL source of a rule: its condition, then its scale. */
  static String expression(Rule r, Translation t) {
    String scale =
        r.scaleKey() == null
            ? "1.0"
            : "(has(s."
                + r.scaleKey()
                + ") ? math.least(math.greatest(double(s."
                + r.scaleKey()
                + "), 0.0), "
                + Translation.literal(r.scaleCap())
                + ") : 0.0)";
    return condition(r.when(), t) + " ? " + scale + " : 0.0";
  }

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
      return "has(s." + e.key() + ")";
    }
    if (c instanceof Condition.CompareSignals cmp) {
      t.scalar(cmp.key());
      t.scalar(cmp.other());
      return "(has(s."
          + cmp.key()
          + ") && has(s."
          + cmp.other()
          + ") && s."
          + cmp.key()
          + " "
          + Translation.operator(cmp.operator())
          + " s."
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
      test = "size(s." + key + ") " + Translation.operator(size.operator()) + " " + size.size();
    } else if (c instanceof Condition.Compare cmp) {
      key = cmp.key();
      t.scalar(key);
      test =
          "s."
              + key
              + " "
              + Translation.operator(cmp.operator())
              + " "
              + Translation.literal(cmp.value());
    } else if (c instanceof Condition.In in) {
      key = in.key();
      t.scalar(key);
      test =
          "s."
              + key
              + " in "
              + in.values().stream()
                  .map(Translation::literal)
                  .collect(Collectors.joining(", ", "[", "]"));
    } else if (c instanceof Condition.Between b) {
      key = b.key();
      test =
          "s."
              + key
              + " >= "
              + Translation.literal(b.low())
              + " && s."
              + key
              + " <= "
              + Translation.literal(b.high());
    } else {
      Condition.Text x = (Condition.Text) c;
      key = x.key();
      String value = x.ignoreCase() ? "s." + key + ".lowerAscii()" : "s." + key;
      String part = x.ignoreCase() ? x.text().toLowerCase(Locale.ROOT) : x.text();
      String function = x.operator() == Condition.TextOperator.PREFIX ? "startsWith" : "contains";
      test = value + "." + function + "(" + Translation.quote(part) + ")";
    }
    return "(has(s." + key + ") && " + test + ")";
  }

  private static String join(List<Condition> parts, String op, String empty, Translation t) {
    if (parts.isEmpty()) {
      return empty;
    }
    return parts.stream().map(p -> condition(p, t)).collect(Collectors.joining(op, "(", ")"));
  }

  @Override
  public Map<String, Object> prepare(Map<String, Object> facts) {
    Map<String, Object> s = new HashMap<>(facts.size() * 2);
    for (Map.Entry<String, Object> e : facts.entrySet()) {
      Object v = e.getValue();
      s.put(e.getKey(), v instanceof Set<?> set ? List.copyOf(set) : v);
    }
    return Map.of("s", s);
  }

  @Override
  public void score(Map<String, Object> activation, double[] scores) {
    java.util.Arrays.fill(scores, 0);
    try {
      for (int r = 0; r < programs.length; r++) {
        weights.add(r, ((Number) programs[r].eval(activation)).doubleValue(), scores);
      }
    } catch (CelEvaluationException e) {
      throw new IllegalStateException(e);
    }
    RuleWeights.clamp(scores);
  }
}
