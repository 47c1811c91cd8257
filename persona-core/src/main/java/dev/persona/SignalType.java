package dev.persona;

/**
 * The type of a signal's value, which decides the conditions that can test it.
 *
 * <p>Thread-safe: an enum.
 *
 * @since 0.1.0
 */
public enum SignalType {
  /** A string, such as {@code device = "mobile"}; tested with equality, membership and text. */
  TEXT,
  /** A finite number, such as a decayed count; tested with comparisons and equality. */
  NUMBER,
  /** A boolean, such as {@code shopping_for_gift}; tested with equality. */
  FLAG,
  /** A set of strings, such as declared interests; equality and membership test its elements. */
  SET
}
