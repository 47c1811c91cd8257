package dev.persona.internal.log;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hashes session and user ids for the decision log: HMAC-SHA256 with the operator's key of {@code
 * "session:" + id} or {@code "user:" + id} (or {@code "outcome:"} and an outcome's store id) in
 * UTF-8, the first 128 bits in 32 lower-case hex digits. Without the key, a hash cannot be tied to
 * an id by hashing guessed ids. Not thread-safe: one per writer thread.
 */
public final class KeyedHash {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final Mac mac;

  /**
   * @param key the HMAC key, 16 bytes or more
   * @throws IllegalStateException if the JVM has no HMAC-SHA256, which every Java SE has
   */
  public KeyedHash(byte[] key) {
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }

  /** Returns the hash of a session id. */
  public String session(String sessionId) {
    return hash("session:", sessionId);
  }

  /** Returns the hash of a user id. */
  public String user(String userId) {
    return hash("user:", userId);
  }

  /**
   * Returns the hash of an outcome's store id (the id the statistics count it once by), which
   * readers of the log use to count an outcome written twice once.
   */
  public String outcome(String storeId) {
    return hash("outcome:", storeId);
  }

  private String hash(String prefix, String id) {
    mac.update(prefix.getBytes(StandardCharsets.UTF_8));
    byte[] d = mac.doFinal(id.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }
}
