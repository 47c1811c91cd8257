package dev.persona.ruleset;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An experiment on a placement: visitors are split into arms, each showing one variant, by a stable
 * hash of the visitor and the experiment's id into 10,000 buckets. The same visitor (user id, else
 * session id) always lands in the same arm, on every instance and after restarts; changing the id
 * reshuffles everyone. Arms may cover less than 100% of traffic; visitors outside every arm are
 * personalized as usual.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the experiment's id, which seeds the assignment
 * @param arms the arms, in bucket order
 * @since 0.2.0
 */
public record Experiment(String id, List<Arm> arms) {

  /**
   * Checks the experiment.
   *
   * @throws IllegalArgumentException if the id is malformed, there are no arms, an arm repeats a
   *     variant, or the shares add up to more than 100 percent
   */
  public Experiment {
    Ids.check("experiment", id);
    arms = List.copyOf(arms);
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("experiment '" + id + "' needs at least one arm");
    }
    Set<String> seen = new HashSet<>();
    double total = 0;
    for (Arm a : arms) {
      if (!seen.add(a.variant())) {
        throw new IllegalArgumentException(
            "experiment '" + id + "': variant '" + a.variant() + "' has two arms");
      }
      total += a.percent();
    }
    if (total > 100 + 1e-9) {
      throw new IllegalArgumentException(
          "experiment '" + id + "': arms add up to " + total + " percent, more than 100");
    }
  }

  /**
   * Returns an experiment with the given arms.
   *
   * @param id the experiment's id
   * @param arms the arms
   * @return the experiment
   */
  public static Experiment of(String id, Arm... arms) {
    return new Experiment(id, List.of(arms));
  }

  /**
   * One arm: a variant and the percentage of visitors who see it.
   *
   * <p>Immutable and thread-safe.
   *
   * @param variant the variant's id
   * @param percent the share of visitors, more than 0 and at most 100, in steps of 0.01
   * @since 0.2.0
   */
  public record Arm(String variant, double percent) {

    /**
     * Checks the arm.
     *
     * @throws IllegalArgumentException if the percentage is out of range
     */
    public Arm {
      Objects.requireNonNull(variant, "variant");
      if (!(percent > 0 && percent <= 100)) {
        throw new IllegalArgumentException(
            "arm '" + variant + "': percent must be more than 0 and at most 100, was " + percent);
      }
    }

    /**
     * Returns an arm.
     *
     * @param variant the variant's id
     * @param percent the share of visitors
     * @return the arm
     */
    public static Arm of(String variant, double percent) {
      return new Arm(variant, percent);
    }
  }
}
