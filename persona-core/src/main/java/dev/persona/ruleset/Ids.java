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

  static double checkWeight(String what, double weight) {
    if (!Double.isFinite(weight)) {
      throw new IllegalArgumentException(what + ": weight must be finite, was " + weight);
    }
    return weight;
  }
}
