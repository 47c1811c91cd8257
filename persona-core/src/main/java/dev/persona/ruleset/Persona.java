package dev.persona.ruleset;

import java.util.Objects;

/**
 * A shopper persona: a hypothesis about motivation that rules score from signals, such as the value
 * hunter or the gift giver.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the persona's id, used by rules and variants, such as {@code value_hunter}
 * @param name its name for people, such as {@code Value hunter}
 * @param threshold the score in [{@value #MIN_THRESHOLD}, 1] from which the persona counts as
 *     matched
 * @since 0.1.0
 */
public record Persona(String id, String name, double threshold) {
  /**
   * The lowest threshold: below it a persona would match nearly every visitor whose score any rule
   * touched.
   */
  public static final double MIN_THRESHOLD = 0.01;

  /**
   * Checks the persona.
   *
   * @throws IllegalArgumentException if the id is malformed or the threshold outside [{@value
   *     #MIN_THRESHOLD}, 1]
   */
  public Persona {
    Ids.check("persona", id);
    Objects.requireNonNull(name, "name");
    if (!(threshold >= MIN_THRESHOLD && threshold <= 1)) {
      throw new IllegalArgumentException(
          "persona '"
              + id
              + "': threshold must be in ["
              + MIN_THRESHOLD
              + ", 1] (a lower one matches nearly every visitor), was "
              + threshold);
    }
  }
}
