package dev.persona.redis.internal;

import dev.persona.VariantStats;
import dev.persona.redis.RedisUnavailableException;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Outcome statistics in one Redis hash ({@link StatsFields}); the logic of {@code RedisStatsStore}.
 * Every increment is one script run: {@code HINCRBY} and {@code HINCRBYFLOAT} on the server, so
 * instances never overwrite each other's counts, and a new combination beyond the limit is refused
 * and counted. A snapshot reads the hash with {@code HSCAN}, a few hundred fields per command, so
 * that a large hash never blocks Redis (and the sessions on it) for long: each count is exact as of
 * its page, and increments made while the pages are read may be in or not.
 *
 * <p>The hash is {@code <prefix>{stats}}: {@link #TAG} is its hash tag, so that on a Redis Cluster
 * any further key a statistics script touches, named {@link #key(String) <prefix>{stats}<suffix>},
 * lies in its slot. Before it had a tag the hash was {@code <prefix>stats}; on a single server each
 * snapshot first merges such a hash into the new one, in pages of a few hundred fields, each page
 * added and deleted from the old hash in one script, so that a count is moved exactly once even
 * while instances of the old version still write it during a rolling upgrade. Thread-safe.
 */
public final class RedisStats implements AutoCloseable {
  private static final Script ADD =
      Script.of(
          """
          local k = KEYS[1]
          local c = ARGV[1]
          if redis.call('HSETNX', k, c .. '|', '1') == 1 then
            if redis.call('HINCRBY', k, '#', 1) > tonumber(ARGV[2]) then
              redis.call('HDEL', k, c .. '|')
              redis.call('HINCRBY', k, '#', -1)
              return {0}
            end
          end
          local names = {'e', 'c', 'a', 'p'}
          for i = 1, 4 do
            if ARGV[i + 2] ~= '0' then
              redis.call('HINCRBY', k, c .. '|' .. names[i], ARGV[i + 2])
            end
          end
          if ARGV[7] ~= '0' then
            redis.call('HINCRBYFLOAT', k, c .. '|v', ARGV[7])
          end
          return {1}
          """);

  /**
   * Merges a page of the hash named before hash tags (KEYS[2]) into the hash (KEYS[1]): from the
   * HSCAN cursor ARGV[1], about ARGV[2] fields. Counts are added, markers of new combinations set
   * and counted, other fields copied unless the hash has them; each field is deleted from the old
   * hash right after it was added, so that an error leaves no count both added and kept. A field
   * that cannot be added (not a number) stays. Answers the next cursor, "0" when a pass is done.
   */
  private static final Script MIGRATE =
      Script.acrossSlots(
          """
          local new, old = KEYS[1], KEYS[2]
          if redis.call('EXISTS', old) == 0 then
            return {'0'}
          end
          local function added(r)
            return type(r) ~= 'table' or r['err'] == nil
          end
          local page = redis.call('HSCAN', old, ARGV[1], 'COUNT', ARGV[2])
          local fields = page[2]
          for i = 1, #fields, 2 do
            local f, v = fields[i], fields[i + 1]
            local kind = string.sub(f, -2)
            local ok = true
            if f == '#' then
              ok = true
            elseif string.sub(f, -1) == '|' then
              if redis.call('HSETNX', new, f, v) == 1 then
                redis.call('HINCRBY', new, '#', 1)
              end
            elseif (kind == '|e' or kind == '|c' or kind == '|a' or kind == '|p')
                and string.match(v, '^%-?%d+$') then
              ok = added(redis.pcall('HINCRBY', new, f, v))
            elseif kind == '|v' and tonumber(v) ~= nil then
              ok = added(redis.pcall('HINCRBYFLOAT', new, f, v))
            else
              redis.call('HSETNX', new, f, v)
            end
            if ok then
              redis.call('HDEL', old, f)
            end
          end
          return {page[1]}
          """);

  /** The hash tag of the statistics' keys. */
  public static final String TAG = "{stats}";

  /** The scripts to load when connecting. */
  public static final List<Script> SCRIPTS = List.of(ADD, MIGRATE);

  private static final ScanArgs PAGE = ScanArgs.Builder.limit(500);
  private static final byte[] PAGE_FIELDS = {'5', '0', '0'};

  private final RedisLink link;
  private final String prefix;
  private final byte[] key;
  private final byte[] legacyKey;
  private final byte[] maxEntries;
  private final long timeoutNanos;
  private final long snapshotTimeoutNanos;
  private final FailureLog log;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder foreign = new LongAdder();

  /**
   * Creates the statistics.
   *
   * @param link the connection
   * @param prefix what every key starts with; no braces
   * @param maxEntries the most combinations kept
   * @param timeout the most an increment waits for Redis
   * @param snapshotTimeout the most a snapshot waits for Redis
   */
  public RedisStats(
      RedisLink link, String prefix, int maxEntries, Duration timeout, Duration snapshotTimeout) {
    this.link = link;
    this.prefix = prefix;
    this.key = key("");
    this.legacyKey = (prefix + "stats").getBytes(StandardCharsets.UTF_8);
    this.maxEntries = ascii(Integer.toString(maxEntries));
    this.timeoutNanos = timeout.toNanos();
    this.snapshotTimeoutNanos = snapshotTimeout.toNanos();
    this.log = new FailureLog("Redis stats store", 60_000);
  }

  /**
   * Adds an increment on the server.
   *
   * @param s the increment
   * @throws RedisUnavailableException if Redis failed or did not answer in time
   */
  public void add(VariantStats s) {
    List<Object> answer;
    try {
      answer =
          link.eval(
              ADD,
              key,
              System.nanoTime() + timeoutNanos,
              StatsFields.combination(s).getBytes(StandardCharsets.UTF_8),
              maxEntries,
              ascii(Long.toString(s.exposures())),
              ascii(Long.toString(s.clicks())),
              ascii(Long.toString(s.addsToCart())),
              ascii(Long.toString(s.purchases())),
              ascii(s.value() == 0 ? "0" : Double.toString(s.value())));
    } catch (RedisUnavailableException e) {
      log.failure(e);
      throw e;
    }
    log.success();
    if (answer.isEmpty() || !Long.valueOf(1).equals(answer.get(0))) {
      dropped.increment();
    }
  }

  /**
   * Reads every total, in pages of about 500 fields, so that Redis is never blocked for long.
   *
   * @return the totals
   * @throws RedisUnavailableException if Redis failed or did not answer in time
   */
  public List<VariantStats> snapshot() {
    long deadline = System.nanoTime() + snapshotTimeoutNanos;
    Map<String, String> fields = new HashMap<>();
    ScanCursor cursor = ScanCursor.INITIAL;
    try {
      if (!link.cluster()) {
        migrate(deadline);
      }
      do {
        ScanCursor from = cursor;
        MapScanCursor<byte[], byte[]> page =
            link.await(() -> link.commands().hscan(key, from, PAGE), deadline);
        // A field may come twice while Redis rehashes; the later value is as good as the first.
        page.getMap()
            .forEach(
                (f, v) ->
                    fields.put(
                        new String(f, StandardCharsets.UTF_8),
                        new String(v, StandardCharsets.US_ASCII)));
        cursor = page;
      } while (!cursor.isFinished());
    } catch (RedisUnavailableException e) {
      log.failure(e);
      throw e;
    }
    log.success();
    Map<String, VariantStats> totals = StatsFields.newTotals();
    fields.forEach(
        (field, value) -> {
          if (!StatsFields.read(field, value, totals)) {
            foreign.increment();
          }
        });
    return new ArrayList<>(totals.values());
  }

  /**
   * Returns a key of the statistics: {@code <prefix>{stats}<suffix>}, in the hash's cluster slot.
   *
   * @param suffix what follows the tag; empty for the hash
   * @return the key's bytes
   */
  public byte[] key(String suffix) {
    return (prefix + TAG + suffix).getBytes(StandardCharsets.UTF_8);
  }

  /** Merges the hash named before hash tags, if there is one, into the hash: one pass. */
  private void migrate(long deadline) {
    byte[] cursor = {'0'};
    do {
      List<Object> answer =
          link.eval(MIGRATE, new byte[][] {key, legacyKey}, deadline, cursor, PAGE_FIELDS);
      cursor = answer.isEmpty() || !(answer.get(0) instanceof byte[] b) ? new byte[] {'0'} : b;
    } while (!(cursor.length == 1 && cursor[0] == '0'));
  }

  /** Returns how many increments were refused because the hash held the most combinations. */
  public long dropped() {
    return dropped.sum();
  }

  /** Returns how many fields of the hash a snapshot could not read. */
  public long foreignFields() {
    return foreign.sum();
  }

  /** Returns how many times Redis failed or did not answer in time. */
  public long failures() {
    return log.failures();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    link.close();
  }
}
