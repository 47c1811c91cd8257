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
 * @param acrossSlots whether its keys may lie in different hash slots, which only a single server
 *     runs; {@link RedisLink#eval} refuses such a script on a cluster and checks every other's keys
 */
public record Script(String text, String sha, boolean acrossSlots) {

  /**
   * Returns a script whose keys all lie in one hash slot (one key, or keys sharing a hash tag), as
   * a Redis Cluster requires.
   *
   * @param text the script
   * @return the script
   */
  public static Script of(String text) {
    return new Script(text, sha1(text), false);
  }

  /**
   * Returns a script whose keys may lie in different hash slots: for a single server only, such as
   * a migration of keys named before they had hash tags.
   *
   * @param text the script
   * @return the script
   */
  public static Script acrossSlots(String text) {
    return new Script(text, sha1(text), true);
  }

  private static String sha1(String text) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
