package dev.persona;

/**
 * Which signals a decision could use, as the shopper's consent allows. Thread-safe: an enum.
 *
 * @since 0.1.0
 */
public enum ConsentMode {
  /**
   * All three kinds of signal are used, and behaviour and declarations are kept for the session.
   */
  FULL,
  /**
   * Only what this request carries is used: contextual signals and what the shopper declared in it.
   * Implicit signals are neither used nor stored, and anything stored for the session is dropped.
   * Applied for {@code Sec-GPC: 1}, a declared {@code consent} of {@code denied} (which holds for
   * the session's later visits until one declares {@code granted}; the session then keeps only the
   * denial), and, when the engine requires consent, for a visit that has not granted it.
   */
  REQUEST_ONLY
}
