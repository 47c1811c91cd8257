package dev.persona.redis.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys of the statistics, named in this one place: the hash of the counts, {@code
 * <prefix>{stats}}, and beside it the sorted set of recent outcome ids, the hash's key followed by
 * {@code :o}; and the hash's name before hash tags, {@code <prefix>stats}, to migrate from. The
 * second begins with the first, so that when the hash's key carries a Redis Cluster hash tag
 * ({@code {...}}) both keys have that tag and one slot, as the script that touches both needs.
 * Immutable.
 */
public final class StatsKeys {
  private final byte[] totals;
  private final byte[] outcomeIds;
  private final byte[] legacy;

  private StatsKeys(byte[] totals, byte[] legacy) {
    this.totals = totals;
    this.legacy = legacy;
    byte[] suffix = ":o".getBytes(StandardCharsets.US_ASCII);
    this.outcomeIds = Arrays.copyOf(totals, totals.length + suffix.length);
    System.arraycopy(suffix, 0, outcomeIds, totals.length, suffix.length);
  }

  /**
   * Returns the keys under a prefix.
   *
   * @param prefix what every key starts with, such as {@code "persona:"}
   * @return the keys
   */
  public static StatsKeys of(String prefix) {
    return new StatsKeys(
        (prefix + RedisStats.TAG).getBytes(StandardCharsets.UTF_8),
        (prefix + "stats").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Returns the key of the hash of counts.
   *
   * @return the key's bytes; do not modify
   */
  public byte[] totals() {
    return totals;
  }

  /**
   * Returns the key of the sorted set of recent outcome ids.
   *
   * @return the key's bytes; do not modify
   */
  public byte[] outcomeIds() {
    return outcomeIds;
  }

  /**
   * Returns the key the hash of counts had before it had a hash tag.
   *
   * @return the key's bytes; do not modify
   */
  public byte[] legacy() {
    return legacy;
  }

  /**
   * Returns both keys, as a script that touches both takes them.
   *
   * @return a new array of the hash's key, then the set's
   */
  public byte[][] both() {
    return new byte[][] {totals, outcomeIds};
  }
}
