package dev.persona.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.spi.SessionState;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The last state this instance sent of a session whose answer never came (a timeout, or Redis
 * killed at that moment), by session key name, until a later write of the session lands or this
 * instance erases it. Such a write may have landed: then this instance's copy is older than what
 * Redis held, and the other instances' copies look changed (by this very write), so that should
 * Redis lose its data, no copy would be written back and the session's history before the write
 * would be lost. What it sent is written back instead, weakly ({@link SessionScript#RESTORE}): any
 * copy written back in the usual way replaces it. Thread-safe.
 */
final class UnansweredWrites {
  /** A state sent, on a key. */
  // Never compared or hashed; the array is never changed.
  @SuppressWarnings("ArrayRecordComponent")
  record Sent(byte[] key, SessionState state) {}

  private final Cache<String, Sent> sent;

  /**
   * @param keep how long a state sent is kept: the TTL of the session's key
   * @param max the most sessions kept
   */
  UnansweredWrites(Duration keep, long max) {
    this.sent =
        Caffeine.newBuilder()
            .maximumSize(max)
            .expireAfterWrite(keep)
            .executor(Runnable::run)
            .build();
  }

  /** Notes a write sent whose answer did not come; nothing for an empty state. */
  void unanswered(String name, byte[] key, @Nullable SessionState state) {
    if (state != null) {
      sent.put(name, new Sent(key, state));
    }
  }

  /** Forgets the session's: a later write of it landed, or this instance erased it. */
  void answered(String name) {
    sent.invalidate(name);
  }

  /** Returns what the last unanswered write of the session sent, or null. */
  @Nullable Sent of(String name) {
    return sent.getIfPresent(name);
  }

  /** Calls {@code each} with every session's name and what was sent. */
  void forEach(BiConsumer<String, Sent> each) {
    sent.asMap().forEach(each);
  }
}
