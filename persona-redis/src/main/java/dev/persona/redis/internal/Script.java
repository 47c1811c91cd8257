package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script and the SHA-1 digest Redis knows it by. Immutable.
 *
 * @param text the script
 * @param sha its SHA-1 digest in lower-case hex
 */
public record Script(String text, String sha) {

  /**
   * Returns the script with its digest.
   *
   * @param text the script
   * @return the script
   */
  public static Script of(String text) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return new Script(text, HexFormat.of().formatHex(sha1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
