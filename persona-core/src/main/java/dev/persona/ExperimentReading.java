package dev.persona;

import dev.persona.internal.experiment.ChiSquare;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the statistics say about whether one experiment split its visitors as its arms say: each
 * arm's exposures, counted on the basis {@link VariantChoice.Basis#EXPERIMENT} of that experiment
 * only (never the holdout's views of a default that is also an arm, nor the personalized views of
 * visitors outside the arms), and the <b>sample-ratio-mismatch</b> test: the chi-square p-value of
 * those exposures against the arms' shares. A tiny p-value (below 0.001, say) means the exposures
 * are not split as assigned, and the experiment's comparison is not to be trusted until the cause
 * is found: an arm whose exposures are not all recorded, a redirect or crash in one arm, bots in
 * one arm.
 *
 * <p>What is compared, and so what can move the p-value without a fault:
 *
 * <ul>
 *   <li>The shares are the arms' current percentages. In a {@linkplain Experiment.Sticky sticky}
 *       experiment a visitor keeps the arm first given, so after a change that moved the ratio
 *       between arms (50/50 to 80/20, an arm added) the exposures follow a mix of the old and the
 *       new split and the test reports a mismatch that is not a fault; a ramp that keeps the ratio
 *       (10/10 to 50/50) does not. Read a sticky experiment whose ratio changed from the exposures
 *       since the change, in a store started afresh or under a new experiment id.
 *   <li>Exposures, not visitors, are counted: a variant that makes shoppers view the placement more
 *       often shifts the ratio by itself, however sound the assignment.
 *   <li>The holdout takes the same share of every arm (its hash is independent of the
 *       experiment's), so it does not move the ratio.
 * </ul>
 *
 * <p>Immutable and thread-safe. A final class with a static factory, so that it can grow.
 *
 * @since 0.5.0
 */
public final class ExperimentReading {
  private final String placement;
  private final String experiment;
  private final List<String> arms;
  private final List<Double> shares;
  private final List<Long> exposures;
  private final double sampleRatioPValue;

  private ExperimentReading(
      String placement,
      String experiment,
      List<String> arms,
      List<Double> shares,
      List<Long> exposures,
      double sampleRatioPValue) {
    this.placement = placement;
    this.experiment = experiment;
    this.arms = List.copyOf(arms);
    this.shares = List.copyOf(shares);
    this.exposures = List.copyOf(exposures);
    this.sampleRatioPValue = sampleRatioPValue;
  }

  /**
   * Returns a reading of every experiment the rule set runs, in the order of its placements, from
   * the statistics' rows of basis {@link VariantChoice.Basis#EXPERIMENT} and that experiment's id.
   *
   * @param stats statistics, such as {@link PersonaEngine#variantStats()}
   * @param rules the rule set whose experiments are read, such as {@link PersonaEngine#ruleSet()}
   * @return one reading per placement running an experiment
   */
  public static List<ExperimentReading> of(List<VariantStats> stats, RuleSet rules) {
    Objects.requireNonNull(stats, "stats");
    List<ExperimentReading> out = new ArrayList<>();
    for (Placement p : rules.placements()) {
      Experiment x = p.experiment();
      if (x == null) {
        continue;
      }
      int k = x.arms().size();
      List<String> arms = new ArrayList<>(k);
      List<Double> shares = new ArrayList<>(k);
      long[] counts = new long[k];
      double[] weights = new double[k];
      for (int i = 0; i < k; i++) {
        arms.add(x.arms().get(i).variant());
        weights[i] = x.arms().get(i).percent();
        shares.add(weights[i] / 100);
      }
      for (VariantStats s : stats) {
        if (s.basis() == VariantChoice.Basis.EXPERIMENT
            && s.placement().equals(p.id())
            && x.id().equals(s.experiment())) {
          int i = arms.indexOf(s.variant());
          if (i >= 0) {
            counts[i] += Math.max(0, s.exposures());
          }
        }
      }
      List<Long> exposures = new ArrayList<>(k);
      for (long c : counts) {
        exposures.add(c);
      }
      out.add(
          new ExperimentReading(
              p.id(), x.id(), arms, shares, exposures, ChiSquare.pValue(counts, weights)));
    }
    return out;
  }

  /**
   * Returns the placement's id.
   *
   * @return the placement
   */
  public String placement() {
    return placement;
  }

  /**
   * Returns the experiment's id.
   *
   * @return the experiment
   */
  public String experiment() {
    return experiment;
  }

  /**
   * Returns the arms, by their variants, in the order listed.
   *
   * @return the arms' variant ids
   */
  public List<String> arms() {
    return arms;
  }

  /**
   * Returns each arm's share of all visitors, as its percentage says, in the order of {@link
   * #arms()}.
   *
   * @return the shares, from 0 to 1
   */
  public List<Double> shares() {
    return shares;
  }

  /**
   * Returns each arm's exposures in the experiment, in the order of {@link #arms()}.
   *
   * @return the counts
   */
  public List<Long> exposures() {
    return exposures;
  }

  /**
   * Returns the sample-ratio-mismatch test's p-value: the chance of exposures at least this far
   * from the arms' shares (chi-square, one degree of freedom fewer than arms) if each exposure fell
   * in an arm with its share, to about 1e-12 relative precision.
   *
   * @return the p-value; 1 with fewer than two arms or no exposures
   */
  public double sampleRatioPValue() {
    return sampleRatioPValue;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExperimentReading r
        && placement.equals(r.placement)
        && experiment.equals(r.experiment)
        && arms.equals(r.arms)
        && shares.equals(r.shares)
        && exposures.equals(r.exposures)
        && Double.compare(sampleRatioPValue, r.sampleRatioPValue) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(placement, experiment, arms, shares, exposures, sampleRatioPValue);
  }

  @Override
  public String toString() {
    return "ExperimentReading{"
        + placement
        + ", experiment="
        + experiment
        + ", arms="
        + arms
        + ", shares="
        + shares
        + ", exposures="
        + exposures
        + ", sample ratio p="
        + sampleRatioPValue
        + "}";
  }
}
