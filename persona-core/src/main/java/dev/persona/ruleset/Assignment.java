package dev.persona.ruleset;

import java.util.Objects;

/**
 * Assigns a lifecycle segment (such as {@code cart_abandoner}) or a journey stage (such as {@code
 * consideration}) when its condition holds. Of the assignments that hold, the one with the highest
 * priority wins; among equal priorities, the first declared.
 *
 * <p>Immutable and thread-safe.
 *
 * @param value the segment or stage assigned
 * @param priority higher wins
 * @param when the condition under which it applies
 * @since 0.1.0
 */
public record Assignment(String value, int priority, Condition when) {

  /**
   * Checks the assignment.
   *
   * @throws IllegalArgumentException if the value is malformed
   */
  public Assignment {
    Ids.check("assignment", value);
    Objects.requireNonNull(when, "when");
  }
}
