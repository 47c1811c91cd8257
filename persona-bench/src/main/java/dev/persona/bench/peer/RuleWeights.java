package dev.persona.bench.peer;

import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a firing rule adds, by rule index: the persona indexes and weights. Peers whose rule
 * language returns a value (CEL, JsonLogic) evaluate each rule to its scale (0 when it does not
 * fire) and the host adds the weights here; their scores are then clamped with {@link #clamp}.
 */
final class RuleWeights {
  final int[][] persona;
  final double[][] weight;

  RuleWeights(RuleSet ruleSet) {
    Map<String, Integer> index = new HashMap<>();
    for (Persona p : ruleSet.personas()) {
      index.put(p.id(), index.size());
    }
    List<Rule> rules = ruleSet.rules();
    persona = new int[rules.size()][];
    weight = new double[rules.size()][];
    for (int r = 0; r < rules.size(); r++) {
      Map<String, Double> adds = rules.get(r).adds();
      persona[r] = new int[adds.size()];
      weight[r] = new double[adds.size()];
      int k = 0;
      for (Map.Entry<String, Double> e : adds.entrySet()) {
        persona[r][k] = index.get(e.getKey());
        weight[r][k++] = e.getValue();
      }
    }
  }

  /** Adds rule {@code r}'s weights times {@code scale} to {@code scores}. */
  void add(int r, double scale, double[] scores) {
    if (scale != 0) {
      int[] p = persona[r];
      double[] w = weight[r];
      for (int i = 0; i < p.length; i++) {
        scores[p[i]] += w[i] * scale;
      }
    }
  }

  /** Clamps every score to [0, 1]. */
  static void clamp(double[] scores) {
    for (int i = 0; i < scores.length; i++) {
      scores[i] = Math.max(0, Math.min(1, scores[i]));
    }
  }
}
