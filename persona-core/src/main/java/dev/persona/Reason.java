package dev.persona;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a decision came out as it did: one rule that fired, one assignment that applied, one variant
 * chosen, or how consent or bad input shaped the decision.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind what the reason is about
 * @param source the rule, assignment value or placement it concerns, or an empty string
 * @param text the reason, readable by a person
 * @param signals the signals it rests on
 * @param adds for a score reason, what it added to each persona; otherwise empty
 * @since 0.1.0
 */
public record Reason(
    Kind kind, String source, String text, List<Signal> signals, Map<String, Double> adds) {

  /** Checks the reason and copies its collections. */
  public Reason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    signals = List.copyOf(signals);
    adds = Map.copyOf(adds);
  }

  /** Returns the text. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * What a {@link Reason} is about. Thread-safe: an enum.
   *
   * @since 0.1.0
   */
  public enum Kind {
    /** A scoring rule fired and added to persona scores. */
    SCORE,
    /** A lifecycle-segment assignment applied. */
    LIFECYCLE,
    /** A journey-stage assignment applied. */
    STAGE,
    /** A variant was chosen for a placement. */
    VARIANT,
    /** Consent limited the signals used. */
    CONSENT,
    /** Input was truncated, rejected or could not be read, or a component failed. */
    INPUT
  }
}
