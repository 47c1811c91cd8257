package dev.persona.internal.rules;

import dev.persona.SignalSpec;
import dev.persona.ruleset.Assignment;
import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import dev.persona.ruleset.Variant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the rule-set model into compiled parts, collecting every problem found. */
final class RuleCompiler {
  final List<RuleSetException.Problem> problems = new ArrayList<>();
  final Map<String, Integer> slots = new HashMap<>();
  final List<CompiledRule> rules = new ArrayList<>();
  final List<CompiledAssignment> lifecycle = new ArrayList<>();
  final List<CompiledAssignment> stages = new ArrayList<>();
  final List<CompiledPlacement> placements = new ArrayList<>();

  private final RuleSet ruleSet;
  final ConditionCompiler conditions;
  private final Map<String, Integer> personaIndex = new HashMap<>();

  RuleCompiler(RuleSet ruleSet, Map<String, SignalSpec> specs) {
    this.ruleSet = ruleSet;
    this.conditions = new ConditionCompiler(specs, slots, problems);
    for (Persona p : ruleSet.personas()) {
      personaIndex.put(p.id(), personaIndex.size());
    }
  }

  void compileAll() {
    for (SignalSpec s : ruleSet.signals()) {
      if (CompiledRuleSet.DECIDED_KEYS.contains(s.key())) {
        problems.add(
            RuleSetException.Problem.at(
                "$.signals", "'" + s.key() + "' is decided by the engine; declare another key"));
      }
    }
    int i = 0;
    for (Rule r : ruleSet.rules()) {
      String path = "$.rules[" + i++ + "]";
      Predicate when = conditions.compile(r.when(), path + ".when", false);
      int scaleSlot =
          r.scaleKey() == null ? -1 : conditions.numberSlot(r.scaleKey(), path + ".per");
      int[] persona = new int[r.adds().size()];
      double[] weight = new double[persona.length];
      int k = 0;
      for (Map.Entry<String, Double> e : r.adds().entrySet()) {
        persona[k] = personaIndex.getOrDefault(e.getKey(), 0);
        weight[k++] = e.getValue();
      }
      rules.add(
          new CompiledRule(
              r.id(),
              when,
              persona,
              weight,
              scaleSlot,
              r.scaleKey(),
              r.scaleCap(),
              "rule '" + r.id() + "' [" + r.when() + "]",
              conditions.slotsOf(r.when().keys(), r.scaleKey())));
    }
    compileAssignments(ruleSet.lifecycle(), "$.lifecycle", lifecycle);
    compileAssignments(ruleSet.stages(), "$.stages", stages);
    int pi = 0;
    for (Placement p : ruleSet.placements()) {
      String path = "$.placements[" + pi++ + "].variants[";
      CompiledVariant[] variants = new CompiledVariant[p.variants().size()];
      int defaultIndex = 0;
      for (int vi = 0; vi < variants.length; vi++) {
        Variant v = p.variants().get(vi);
        Predicate when = conditions.compile(v.when(), path + vi + "].when", true);
        int[] targets =
            v.targets().stream().mapToInt(t -> personaIndex.getOrDefault(t, 0)).toArray();
        if (v.isDefault()) {
          defaultIndex = vi;
        }
        variants[vi] = new CompiledVariant(v, when, targets);
      }
      placements.add(new CompiledPlacement(p, variants, defaultIndex));
    }
  }

  private void compileAssignments(
      List<Assignment> source, String path, List<CompiledAssignment> into) {
    for (int i = 0; i < source.size(); i++) {
      Assignment a = source.get(i);
      Predicate when = conditions.compile(a.when(), path + "[" + i + "].when", false);
      into.add(
          new CompiledAssignment(
              a.value(),
              a.priority(),
              when,
              a.when().toString(),
              conditions.slotsOf(a.when().keys(), null)));
    }
    into.sort(Comparator.comparingInt(CompiledAssignment::priority).reversed());
  }
}
