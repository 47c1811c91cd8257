package dev.persona.internal.engine;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;

/**
 * Draws the ids of decisions: 128 random bits as 32 lower-case hex digits. Each thread draws from
 * its own {@link SplittableRandom}, seeded once from {@link SecureRandom}, so that a draw neither
 * blocks nor contends, and ids of different threads and instances do not follow one another. An id
 * says nothing about a session or user. Thread-safe.
 */
final class DecisionIds {
  private static final SecureRandom SEEDS = new SecureRandom();
  private static final ThreadLocal<SplittableRandom> RANDOM =
      ThreadLocal.withInitial(() -> new SplittableRandom(SEEDS.nextLong()));
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private DecisionIds() {}

  /** Returns a new id. */
  static String next() {
    SplittableRandom random = RANDOM.get();
    byte[] id = new byte[32];
    hex(random.nextLong(), id, 0);
    hex(random.nextLong(), id, 16);
    return new String(id, StandardCharsets.ISO_8859_1); // one copy, Latin-1: 48 bytes of array
  }

  private static void hex(long bits, byte[] into, int at) {
    for (int i = 15; i >= 0; i--) {
      into[at + i] = HEX[(int) bits & 0xf];
      bits >>>= 4;
    }
  }
}
