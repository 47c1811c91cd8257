package dev.persona.internal.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which scoring evaluates rules: grouped by the signal each needs present (its {@link
 * RuleSplit#guardSlot guard}), so that one presence test skips every rule of an absent signal and
 * the rules that read one signal run together, where a branch predictor sees their outcomes
 * together; groups in the order of their first rule, rules within a group in file order, rules that
 * need no signal last. Scores are sums of the same weights in another order, so they can differ
 * from a file-order sum in the last binary digit, well inside the tolerance with which a score
 * meets its threshold.
 */
final class RuleOrder {
  private RuleOrder() {}

  /** Returns {@code rules} in evaluation order. */
  static CompiledRule[] of(CompiledRule[] rules) {
    Map<Integer, List<CompiledRule>> bySlot = new LinkedHashMap<>();
    List<CompiledRule> unguarded = new ArrayList<>();
    for (CompiledRule r : rules) {
      int slot = guardSlot(r);
      if (slot < 0) {
        unguarded.add(r);
      } else {
        bySlot.computeIfAbsent(slot, s -> new ArrayList<>()).add(r);
      }
    }
    List<CompiledRule> order = new ArrayList<>(rules.length);
    bySlot.values().forEach(order::addAll);
    order.addAll(unguarded);
    return order.toArray(new CompiledRule[0]);
  }

  /** Returns a slot that must be present for {@code rule} to fire, or -1. */
  static int guardSlot(CompiledRule rule) {
    return RuleSplit.guardSlot(rule.when());
  }
}
