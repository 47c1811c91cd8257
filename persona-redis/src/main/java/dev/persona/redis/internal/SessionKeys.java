package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of a session: the prefix, {@code "s:"}, then the session's hash tag, 32 lower-case
 * hex digits in braces ({@code persona:s:{ba7816bf8f01cfea414140de5dae2223}}): the first 128 bits
 * of SHA-256 of the session id's UTF-8 bytes, or of HMAC-SHA256 with a secret when one is set. Raw
 * ids never reach Redis; with a secret, a known id cannot be checked against the keys either.
 *
 * <p>On a Redis Cluster only the tag is hashed to choose a key's slot, so every key that holds the
 * tag lies in the same slot as the session's key: a further key of the same session is {@link
 * #of(String, String)}, the session's key and a suffix ({@code persona:s:{<hash>}:x}), and one
 * script may touch both. The prefix holds no braces ({@link #SessionKeys(String, byte[])} refuses
 * them), so the tag is always the first pair. Thread-safe: each call works on its own copy of the
 * digest.
 */
public final class SessionKeys {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int HASH_BYTES = 16;
  private static final int TAG_LENGTH = 2 * HASH_BYTES + 2;
  private static final String MARK_SUFFIX = ":e";
  private static final byte[] MARK = MARK_SUFFIX.getBytes(StandardCharsets.US_ASCII);
  private static final String USER_PART = "u:";
  private static final byte[] USER = USER_PART.getBytes(StandardCharsets.US_ASCII);
  private static final String HOLD_SUFFIX = ":w";
  private static final byte[] HOLD = HOLD_SUFFIX.getBytes(StandardCharsets.US_ASCII);

  private final byte[] prefix;
  private final byte[] userPrefix;
  private final byte[] canary;
  private final MessageDigest digest;
  private final Mac mac;

  /**
   * Creates the keys.
   *
   * @param prefix what every key starts with, such as {@code "persona:"}; no braces
   * @param secret the HMAC key, or null for plain SHA-256
   * @throws IllegalArgumentException if the prefix holds a brace
   */
  public SessionKeys(String prefix, byte[] secret) {
    if (prefix.indexOf('{') >= 0 || prefix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("the key prefix must not hold braces");
    }
    this.prefix = (prefix + "s:").getBytes(StandardCharsets.UTF_8);
    this.userPrefix = (prefix + "u:").getBytes(StandardCharsets.UTF_8);
    this.canary = (prefix + "{alive}").getBytes(StandardCharsets.UTF_8);
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
   * Returns the key of a session: {@code <prefix>s:{<hash>}}.
   *
   * @param sessionId the session id
   * @return the key's bytes
   */
  public byte[] of(String sessionId) {
    return of(sessionId, "");
  }

  /**
   * Returns a further key of a session, in the same cluster slot as its key: {@code
   * <prefix>s:{<hash>}<suffix>}.
   *
   * @param sessionId the session id
   * @param suffix what follows the tag, such as {@code ":x"}; no braces
   * @return the key's bytes
   * @throws IllegalArgumentException if the suffix holds a brace
   */
  public byte[] of(String sessionId, String suffix) {
    if (suffix.indexOf('{') >= 0 || suffix.indexOf('}') >= 0) {
      throw new IllegalArgumentException("a key suffix must not hold braces");
    }
    byte[] end = suffix.getBytes(StandardCharsets.UTF_8);
    byte[] key = Arrays.copyOf(prefix, prefix.length + TAG_LENGTH + end.length);
    writeTag(sessionId, key, prefix.length);
    System.arraycopy(end, 0, key, prefix.length + TAG_LENGTH, end.length);
    return key;
  }

  /**
   * Returns the key of a session's erasure mark, {@code <session key>:e}: set with every erasure,
   * so that a report of it tells an erasure from a write.
   *
   * @param sessionKey the session's key
   * @return the mark's key
   */
  public static byte[] erasureMark(byte[] sessionKey) {
    return suffixed(sessionKey, MARK);
  }

  /**
   * Returns the key of a session's write-back hold, {@code <session key>:w}: set for a while when
   * an instance writes back its copy after Redis lost its data; meanwhile changes wait, so that
   * every instance's copy can land and the newest win.
   *
   * @param sessionKey the session's key
   * @return the hold's key
   */
  public static byte[] writeBackHold(byte[] sessionKey) {
    return suffixed(sessionKey, HOLD);
  }

  /**
   * Returns the key of a user's erasure mark, {@code <prefix>s:u:{<user hash>}:e}: set with every
   * erasure of the user ({@code forgetUser}), in the slot of the user's set, and named under the
   * sessions' prefix, so that every instance hears of it ({@code CLIENT TRACKING}) and erases the
   * user's sessions it holds whose links did not reach the set yet.
   *
   * @param userKey the user's key ({@link #user})
   * @return the mark's key
   */
  public byte[] userErasureMark(byte[] userKey) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + USER.length + TAG_LENGTH + MARK.length);
    System.arraycopy(USER, 0, out, prefix.length, USER.length);
    System.arraycopy(
        userKey, userKey.length - TAG_LENGTH, out, prefix.length + USER.length, TAG_LENGTH);
    System.arraycopy(MARK, 0, out, prefix.length + USER.length + TAG_LENGTH, MARK.length);
    return out;
  }

  /**
   * Returns the key of the user whose erasure mark ({@link #userErasureMark}) {@code name} is, or
   * null if it is none. No session key is one: a session's tag follows the prefix at once.
   *
   * @param name a key's name
   * @return the user's key, or null
   */
  public byte @Nullable [] erasedUser(String name) {
    int at = prefix.length + USER.length;
    if (name.length() != at + TAG_LENGTH + MARK.length
        || !name.endsWith(MARK_SUFFIX)
        || !name.regionMatches(prefix.length, USER_PART, 0, USER.length)
        || name.charAt(at) != '{'
        || name.charAt(at + TAG_LENGTH - 1) != '}'
        || !name.startsWith(sessionPrefix())) {
      return null;
    }
    byte[] out = Arrays.copyOf(userPrefix, userPrefix.length + TAG_LENGTH);
    for (int i = 0; i < TAG_LENGTH; i++) {
      out[userPrefix.length + i] = (byte) name.charAt(at + i);
    }
    return out;
  }

  private static byte[] suffixed(byte[] key, byte[] suffix) {
    byte[] out = Arrays.copyOf(key, key.length + suffix.length);
    System.arraycopy(suffix, 0, out, key.length, suffix.length);
    return out;
  }

  /**
   * Returns the name of the session key whose write-back hold {@code name} is, or null if it is
   * none.
   *
   * @param name a key's name
   * @return the session key's name, or null
   */
  public static @Nullable String heldSession(String name) {
    return name.endsWith(HOLD_SUFFIX)
            && name.length() > HOLD_SUFFIX.length()
            && name.charAt(name.length() - HOLD_SUFFIX.length() - 1) == '}'
        ? name.substring(0, name.length() - HOLD_SUFFIX.length())
        : null;
  }

  /**
   * Returns the name of the session key whose erasure mark {@code name} is, or null if it is none.
   *
   * @param name a key's name
   * @return the session key's name, or null
   */
  public static @Nullable String markedSession(String name) {
    return name.endsWith(MARK_SUFFIX)
            && name.length() > MARK_SUFFIX.length()
            && name.charAt(name.length() - MARK_SUFFIX.length() - 1) == '}'
        ? name.substring(0, name.length() - MARK_SUFFIX.length())
        : null;
  }

  /**
   * Returns the hash tag of a session's keys, {@code {<hash>}}: every key that holds it (and no
   * brace before it) lies in the session's cluster slot, so that one script may touch them all.
   * Build such keys with {@link #of(String, String)}.
   *
   * @param sessionId the session id
   * @return the tag, braces included
   */
  public String tag(String sessionId) {
    byte[] tag = new byte[TAG_LENGTH];
    writeTag(sessionId, tag, 0);
    return new String(tag, StandardCharsets.US_ASCII);
  }

  /**
   * Returns what every session key starts with: the prefix and {@code "s:"}.
   *
   * @return the prefix
   */
  public String sessionPrefix() {
    return new String(prefix, StandardCharsets.UTF_8);
  }

  /**
   * Returns the key whose absence tells that Redis lost its data: the prefix and {@code "{alive}"},
   * a tag of its own.
   *
   * @return the key's bytes; do not modify
   */
  public byte[] canary() {
    return canary;
  }

  /**
   * Returns the key of a user's set of session keys: the prefix, {@code "u:"}, then the user id
   * hashed like a session id, as a tag of its own.
   *
   * @param userId the user id
   * @return the key's bytes
   */
  public byte[] user(String userId) {
    byte[] key = Arrays.copyOf(userPrefix, userPrefix.length + TAG_LENGTH);
    writeTag(userId, key, userPrefix.length);
    return key;
  }

  /** Writes {@code {<hash>}} of a raw id into {@code to} at {@code at}. */
  private void writeTag(String rawId, byte[] to, int at) {
    byte[] id = rawId.getBytes(StandardCharsets.UTF_8);
    byte[] hash = mac != null ? copy(mac).doFinal(id) : copy(digest).digest(id);
    to[at] = '{';
    for (int i = 0; i < HASH_BYTES; i++) {
      to[at + 1 + 2 * i] = HEX[(hash[i] >> 4) & 0xf];
      to[at + 2 + 2 * i] = HEX[hash[i] & 0xf];
    }
    to[at + TAG_LENGTH - 1] = '}';
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
