package dev.persona.ruleset;

import java.util.Objects;
import java.util.regex.Pattern;

/** Checks the ids of personas, rules, placements and variants. */
final class Ids {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private Ids() {}

  static String check(String what, String id) {
    Objects.requireNonNull(id, what + " id");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException(
          what
              + " id '"
              + id
              + "' must be 1-64 letters, digits, '_', '.', ':' or '-', starting with a letter or digit");
    }
    return id;
  }

  /**
   * The largest weight, either sign: a score is clamped to [0, 1], and weights within it add up to
   * a finite sum however many rules a file can hold, so that no score becomes NaN.
   */
  static final double MAX_WEIGHT = 1_000_000;

  static double checkWeight(String what, double weight) {
    if (!(Math.abs(weight) <= MAX_WEIGHT)) {
      throw new IllegalArgumentException(
          what + ": weight must be finite and within ±" + (long) MAX_WEIGHT + ", was " + weight);
    }
    return weight;
  }
}
