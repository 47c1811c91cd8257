package dev.persona.spi;

import dev.persona.internal.session.SessionCodec;
import java.time.Instant;

/**
 * What the engine remembers of one session between requests: decayed behaviour counts, category and
 * brand affinities, open cart items and declared preferences. Compact, and with a versioned byte
 * form so that a shared store can hold it.
 *
 * <p>States are made by the engine; a {@link SessionStore} keeps and returns the instances it is
 * given, or stores their {@linkplain #toBytes() bytes} and {@linkplain #fromBytes(byte[]) decodes}
 * them later. Implementing this interface outside the engine is not supported: the engine treats a
 * foreign state as absent.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public interface SessionState {

  /**
   * Returns when the session was last seen.
   *
   * @return the time of its latest visit
   */
  Instant lastSeen();

  /**
   * Returns how many visits built this state. Of two copies of a session where one instance wrote
   * after the other, the later copy has more; a store that writes back copies after losing its data
   * keeps the one with most. 0 unless overridden.
   *
   * @return a count, not negative
   * @since 0.3.0
   */
  default long visits() {
    return 0;
  }

  /**
   * Returns the state's versioned byte form.
   *
   * @return a new array that {@link #fromBytes(byte[])} turns back into an equal state
   */
  byte[] toBytes();

  /**
   * Decodes a state written by {@link #toBytes()}, by this or an earlier version of the engine.
   *
   * @param bytes the byte form
   * @return the state
   * @throws IllegalArgumentException if the bytes are not a session state, are truncated, or come
   *     from a newer format version than this engine reads
   */
  static SessionState fromBytes(byte[] bytes) {
    return SessionCodec.decode(bytes);
  }
}
