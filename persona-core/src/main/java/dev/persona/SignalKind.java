package dev.persona;

/**
 * Where a signal comes from, which decides how far it is trusted and which consent it needs.
 *
 * <p>Every signal the engine uses has exactly one kind. Thread-safe: an enum.
 *
 * @since 0.1.0
 */
public enum SignalKind {
  /** What the shopper told us: declared preferences, profile choices, "shopping for a gift". */
  EXPLICIT,
  /**
   * What the shopper's behaviour shows: events accumulated over the session, and facts the store
   * already knows about the customer. Needs consent; decays with time.
   */
  IMPLICIT,
  /** What the current request says: device, language, country, traffic source, local time. */
  CONTEXTUAL
}
