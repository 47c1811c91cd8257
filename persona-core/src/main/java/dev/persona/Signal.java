package dev.persona;

import dev.persona.internal.rules.Decimals;
import java.util.Objects;
import java.util.Set;

/**
 * One fact the engine used for a decision.
 *
 * <p>The value is a {@link String} ({@link SignalType#TEXT}), a {@link Double} ({@link
 * SignalType#NUMBER}), a {@link Boolean} ({@link SignalType#FLAG}) or an unmodifiable {@code
 * Set<String>} ({@link SignalType#SET}). For an implicit count the value is the recency-decayed
 * count, which is what conditions test, and {@code strength} is the share of the raw count that
 * remains after decay: 1.0 for behaviour seen just now, 0.5 for behaviour one half-life old. Every
 * other signal has strength 1.0.
 *
 * <p>Immutable and thread-safe.
 *
 * @param key the signal's key, as declared by its {@link SignalSpec}
 * @param kind where it comes from
 * @param value its value, never null
 * @param source what produced it: an extractor's name, {@code "events"}, {@code "session"} (for
 *     {@code requests} and {@code session_minutes}), {@code "profile"}, {@code "prediction"} (what
 *     the fitted models predict from the profile facts) or {@code "declared"}
 * @param strength recency weight in (0, 1]
 * @since 0.1.0
 */
public record Signal(String key, SignalKind kind, Object value, String source, double strength) {

  /**
   * Checks the signal.
   *
   * @throws IllegalArgumentException if the value is not one of the four value types or strength is
   *     outside (0, 1]
   */
  public Signal {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(source, "source");
    if (!(value instanceof String
        || value instanceof Double
        || value instanceof Boolean
        || value instanceof Set<?>)) {
      throw new IllegalArgumentException(
          "signal value must be String, Double, Boolean or Set<String>, not "
              + value.getClass().getName());
    }
    if (!(strength > 0 && strength <= 1)) {
      throw new IllegalArgumentException("strength must be in (0, 1], was " + strength);
    }
  }

  /**
   * Returns the type of this signal's value.
   *
   * @return the value's type
   */
  public SignalType type() {
    if (value instanceof String) {
      return SignalType.TEXT;
    } else if (value instanceof Double) {
      return SignalType.NUMBER;
    } else if (value instanceof Boolean) {
      return SignalType.FLAG;
    }
    return SignalType.SET;
  }

  /** Returns {@code key=value}, with the strength when it is below 1. */
  @Override
  public String toString() {
    String shown = value instanceof Double d ? Decimals.compact(d) : String.valueOf(value);
    return strength < 1
        ? key + "=" + shown + " (strength " + Decimals.twoPlaces(strength) + ")"
        : key + "=" + shown;
  }
}
