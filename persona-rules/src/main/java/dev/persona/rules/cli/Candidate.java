package dev.persona.rules.cli;

import dev.persona.VariantChoice;
import dev.persona.log.Redecider;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A candidate rule set as a policy: for a logged decision's signals, the probability of each
 * variant of each placement. A personalized placement chooses one variant (probability 1); a
 * placement running an experiment at the decision's time gives each arm its share and the rest to
 * the personalized choice among the variants that are no arm's (outside its start and end, the
 * default); an optimized placement depends on statistics the logs do not hold, and is not
 * estimated. The candidate runs without holdout. Immutable.
 */
final class Candidate {
  final RuleSet rules;
  final Redecider redecider;
  final Map<String, Policy> placements = new LinkedHashMap<>();

  Candidate(RuleSet rules, Redecider redecider) {
    this.rules = rules;
    this.redecider = redecider;
    for (Placement p : rules.placements()) {
      placements.put(p.id(), new Policy(p));
    }
  }

  /** One placement's policy, its variants indexed in declaration order and one more for others. */
  static final class Policy {
    final String id;
    final List<String> variants = new ArrayList<>();
    final int defaultIndex;
    final Placement.Mode mode;
    final @Nullable Experiment experiment;
    private final int[] arms;
    private final double[] shares;

    Policy(Placement p) {
      this.id = p.id();
      for (Variant v : p.variants()) {
        variants.add(v.id());
      }
      this.defaultIndex = variants.indexOf(p.defaultVariant().id());
      this.mode = p.mode();
      this.experiment = p.experiment();
      int n = experiment == null ? 0 : experiment.arms().size();
      this.arms = new int[n];
      this.shares = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        Experiment.Arm a = experiment.arms().get(i);
        double share = Math.max(0, Math.min(100, total + a.percent()) - total) / 100;
        total += a.percent();
        arms[i] = variants.indexOf(a.variant());
        shares[i] = share;
      }
    }

    /** Returns the number of indexes: the variants and one for a variant the rules do not have. */
    int size() {
      return variants.size() + 1;
    }

    /** Returns a variant's index; {@link #variants}{@code .size()} for one the rules lack. */
    int index(String variant) {
      int i = variants.indexOf(variant);
      return i < 0 ? variants.size() : i;
    }

    /** Returns whether the candidate's choice here can be estimated: not an optimized one. */
    boolean estimable() {
      return mode != Placement.Mode.OPTIMIZED;
    }

    /**
     * Returns the candidate's probability of each variant index.
     *
     * @param personalized the personalized choice for the decision's signals
     * @param atMillis the decision's time, which says whether an experiment runs
     */
    double[] distribution(VariantChoice personalized, long atMillis) {
      double[] pi = new double[size()];
      double rest = 1;
      if (mode == Placement.Mode.EXPERIMENT && experiment != null) {
        if (!experiment.runsAt(atMillis)) {
          pi[defaultIndex] = 1; // outside its start and end, an experiment shows the default
          return pi;
        }
        for (int i = 0; i < arms.length; i++) {
          pi[arms[i]] += shares[i];
          rest -= shares[i];
        }
      }
      if (rest > 0) {
        pi[index(personalized.variant())] += rest;
      }
      return pi;
    }
  }
}
