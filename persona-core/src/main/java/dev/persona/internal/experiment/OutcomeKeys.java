package dev.persona.internal.experiment;

import dev.persona.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The ids the engine hands to a {@link dev.persona.spi.StatsStore} with each increment: 32
 * lower-case hex digits, the first 128 bits of SHA-256 of the outcome's kind, placement and id. The
 * same outcome always gets the same one, on every instance; a store keeps it without learning the
 * order or decision id it came from, and needs no more room for a long id. Thread-safe.
 */
final class OutcomeKeys {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(OutcomeKeys::sha256);

  private OutcomeKeys() {}

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Returns the store's id of the outcome {@code id} of {@code kind} in {@code placement}. */
  static String of(Outcome.Kind kind, String placement, String id) {
    MessageDigest d = SHA256.get();
    d.update(kind.name().getBytes(StandardCharsets.US_ASCII));
    d.update((byte) 0);
    byte[] p = placement.getBytes(StandardCharsets.UTF_8);
    d.update(Integer.toString(p.length).getBytes(StandardCharsets.US_ASCII));
    d.update((byte) ':');
    d.update(p);
    byte[] hash = d.digest(id.getBytes(StandardCharsets.UTF_8));
    char[] hex = new char[32];
    for (int i = 0; i < 16; i++) {
      hex[2 * i] = HEX[(hash[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[hash[i] & 0xf];
    }
    return new String(hex);
  }
}
