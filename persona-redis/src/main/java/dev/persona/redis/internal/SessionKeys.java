package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Redis key of a session: the prefix, {@code "s:"}, then 32 lower-case hex digits, the first
 * 128 bits of SHA-256 of the session id's UTF-8 bytes, or of HMAC-SHA256 with a secret when one is
 * set. Raw ids never reach Redis; with a secret, a known id cannot be checked against the keys
 * either. Thread-safe: each call works on its own copy of the digest.
 */
public final class SessionKeys {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_BYTES = 16;

  private final byte[] prefix;
  private final byte[] userPrefix;
  private final MessageDigest digest;
  private final Mac mac;

  /**
   * Creates the keys.
   *
   * @param prefix what every key starts with, such as {@code "persona:"}
   * @param secret the HMAC key, or null for plain SHA-256
   */
  public SessionKeys(String prefix, byte[] secret) {
    this.prefix = (prefix + "s:").getBytes(StandardCharsets.UTF_8);
    this.userPrefix = (prefix + "u:").getBytes(StandardCharsets.UTF_8);
    try {
      if (secret == null) {
        this.digest = MessageDigest.getInstance("SHA-256");
        this.mac = null;
      } else {
        this.digest = null;
        this.mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform has SHA-256 and HmacSHA256", e);
    }
  }

  /**
   * Returns the key of a session.
   *
   * @param sessionId the session id
   * @return the key's bytes
   */
  public byte[] of(String sessionId) {
    return hashed(prefix, sessionId);
  }

  /**
   * Returns the key of a user's set of session keys: the prefix, {@code "u:"}, then the user id
   * hashed like a session id.
   *
   * @param userId the user id
   * @return the key's bytes
   */
  public byte[] user(String userId) {
    return hashed(userPrefix, userId);
  }

  private byte[] hashed(byte[] prefix, String rawId) {
    byte[] id = rawId.getBytes(StandardCharsets.UTF_8);
    byte[] hash = mac != null ? copy(mac).doFinal(id) : copy(digest).digest(id);
    byte[] key = Arrays.copyOf(prefix, prefix.length + 2 * HASH_BYTES);
    for (int i = 0; i < HASH_BYTES; i++) {
      key[prefix.length + 2 * i] = HEX[(hash[i] >> 4) & 0xf];
      key[prefix.length + 2 * i + 1] = HEX[hash[i] & 0xf];
    }
    return key;
  }

  private static MessageDigest copy(MessageDigest d) {
    try {
      return (MessageDigest) d.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the platform's SHA-256 cannot be cloned", e);
    }
  }

  private static Mac copy(Mac m) {
    try {
      return (Mac) m.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the platform's HmacSHA256 cannot be cloned", e);
    }
  }
}
