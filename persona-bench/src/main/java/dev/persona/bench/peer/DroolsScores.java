package dev.persona.bench.peer;

/**
 * The global that Drools rules add persona weights to; it writes into the array of the {@code
 * score} call in progress. Public because the rules' generated code calls it.
 */
public final class DroolsScores {
  double[] target;

  /**
   * Adds a weight to a persona's score.
   *
   * @param persona the persona's index
   * @param weight the weight
   */
  public void add(int persona, double weight) {
    target[persona] += weight;
  }

  /**
   * Adds a weight times a signal's value counted up to a cap (nothing for an absent, NaN, value).
   *
   * @param persona the persona's index
   * @param weight the weight
   * @param value the signal's value
   * @param cap the cap
   */
  public void addScaled(int persona, double weight, double value, double cap) {
    if (!Double.isNaN(value)) {
      target[persona] += weight * Math.min(Math.max(value, 0), cap);
    }
  }
}
