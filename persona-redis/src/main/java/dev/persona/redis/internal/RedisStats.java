package dev.persona.redis.internal;

import dev.persona.VariantStats;
import dev.persona.redis.RedisUnavailableException;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Outcome statistics in one Redis hash ({@link StatsFields}); the logic of {@code RedisStatsStore}.
 * Every increment is one script run: {@code HINCRBY} and {@code HINCRBYFLOAT} on the server, so
 * instances never overwrite each other's counts, and a new combination beyond the limit is refused
 * and counted. The same script keeps the ids of recent outcomes in a sorted set beside the hash
 * ({@link StatsKeys}), scored by the server's time in microseconds (so that the oldest is forgotten
 * first), at most {@code maxIds} and none older than the id TTL, and adds nothing for an id it
 * holds: so an increment whose answer timed out is retried from a {@link RetryQueue} with the same
 * id, and counts once whether or not Redis had applied it. An increment's discounted counts are
 * added to the combination's in the same script, as {@link dev.persona.DiscountedCounts#plus} adds
 * them: in any order, so instances need not agree on anything. A snapshot reads the hash with
 * {@code HSCAN}, a few hundred fields per command, so that a large hash never blocks Redis (and the
 * sessions on it) for long: each count is exact as of its page, and increments made while the pages
 * are read may be in or not.
 *
 * <p>The hash is {@code <prefix>{stats}}: {@link #TAG} is its hash tag, so that on a Redis Cluster
 * the id set, {@code <prefix>{stats}:o}, lies in its slot. Before it had a tag the hash was {@code
 * <prefix>stats}; on a single server each snapshot first merges such a hash into the new one, in
 * pages of a few hundred fields, each page added and deleted from the old hash in one script, so
 * that a count is moved exactly once even while instances of the old version still write it during
 * a rolling upgrade. Thread-safe.
 */
public final class RedisStats implements AutoCloseable {
  /** An answer of {@link #ADD}: a new combination beyond the limit; 1 is added. */
  private static final long REFUSED = 0;

  /** An answer of {@link #ADD}: the outcome id was kept, nothing added. */
  private static final long DUPLICATE = 2;

  private static final Script ADD =
      Script.of(
          """
          local k = KEYS[1]
          local ids = KEYS[2]
          local c = ARGV[1]
          local id = ARGV[8]
          local ttl = tonumber(ARGV[10])
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
          local oldest = now - ttl * 1000
          local seen = redis.call('ZSCORE', ids, id)
          if seen and tonumber(seen) > oldest then
            return {2}
          end
          if redis.call('HSETNX', k, c .. '|', '1') == 1 then
            if redis.call('HINCRBY', k, '#', 1) > tonumber(ARGV[2]) then
              redis.call('HDEL', k, c .. '|')
              redis.call('HINCRBY', k, '#', -1)
              return {0}
            end
          end
          redis.call('ZREMRANGEBYSCORE', ids, '-inf', string.format('%.0f', oldest))
          redis.call('ZADD', ids, string.format('%.0f', now), id)
          local over = redis.call('ZCARD', ids) - tonumber(ARGV[9])
          if over > 0 then
            redis.call('ZREMRANGEBYRANK', ids, 0, over - 1)
          end
          redis.call('PEXPIRE', ids, ttl)
          local names = {'e', 'c', 'a', 'p'}
          for i = 1, 4 do
            if ARGV[i + 2] ~= '0' then
              redis.call('HINCRBY', k, c .. '|' .. names[i], ARGV[i + 2])
            end
          end
          if ARGV[7] ~= '0' then
            redis.call('HINCRBYFLOAT', k, c .. '|v', ARGV[7])
          end
          if ARGV[11] ~= '' then
            local function parse(s)
              local x = {}
              for n in string.gmatch(s, '%S+') do
                x[#x + 1] = tonumber(n)
              end
              return x
            end
            local d = c .. '|d'
            local a = parse(ARGV[11])
            local was = redis.call('HGET', k, d)
            local b = was and parse(was) or {}
            if #b == 6 then
              local to = math.max(a[1], b[1])
              local h = math.max(a[2], b[2])
              if a[1] > b[1] then
                h = a[2]
              elseif b[1] > a[1] then
                h = b[2]
              end
              local fa = math.exp((a[1] - to) * math.log(2) / h)
              local fb = math.exp((b[1] - to) * math.log(2) / h)
              a[1], a[2] = to, h
              for i = 3, 6 do
                a[i] = a[i] * fa + b[i] * fb
              end
            end
            redis.call('HSET', k, d, string.format('%.0f %.0f %.17g %.17g %.17g %.17g',
              a[1], a[2], a[3], a[4], a[5], a[6]))
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

  /** The first wait before an increment is tried again; it doubles up to {@link #MAX_BACKOFF}. */
  public static final Duration MIN_BACKOFF = Duration.ofMillis(5);

  /** The longest wait between two tries of a queued increment. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /** How long {@link #close} goes on trying queued increments. */
  public static final Duration CLOSE_WAIT = Duration.ofSeconds(1);

  private static final int ID_BYTES = 16;
  private static final ScanArgs PAGE = ScanArgs.Builder.limit(500);
  private static final byte[] PAGE_FIELDS = {'5', '0', '0'};

  private final RedisLink link;
  private final StatsKeys keys;
  private final byte[] maxEntries;
  private final byte[] maxIds;
  private final byte[] idTtlMillis;
  private final long timeoutNanos;
  private final long snapshotTimeoutNanos;
  private final FailureLog log;
  private final RetryQueue<byte[][]> retries;
  private final LongAdder dropped = new LongAdder();
  private final LongAdder foreign = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder retried = new LongAdder();

  /**
   * Creates the statistics.
   *
   * @param link the connection
   * @param keys the keys
   * @param maxEntries the most combinations kept
   * @param maxIds the most outcome ids kept
   * @param idTtl how long an outcome id is kept
   * @param timeout the most one try of an increment waits for Redis
   * @param snapshotTimeout the most a snapshot waits for Redis
   * @param retryQueueSize the most increments waiting to be tried again
   * @param retryFor how long an increment is tried again before it is given up; less than {@code
   *     idTtl}, so that a retry never counts an outcome whose id has expired
   */
  public RedisStats(
      RedisLink link,
      StatsKeys keys,
      int maxEntries,
      int maxIds,
      Duration idTtl,
      Duration timeout,
      Duration snapshotTimeout,
      int retryQueueSize,
      Duration retryFor) {
    this.link = link;
    this.keys = keys;
    this.maxEntries = ascii(Integer.toString(maxEntries));
    this.maxIds = ascii(Integer.toString(maxIds));
    this.idTtlMillis = ascii(Long.toString(idTtl.toMillis()));
    this.timeoutNanos = timeout.toNanos();
    this.snapshotTimeoutNanos = snapshotTimeout.toNanos();
    this.log = new FailureLog("Redis stats store", 60_000);
    this.retries =
        new RetryQueue<>(
            "Redis stats store", retryQueueSize, MIN_BACKOFF, MAX_BACKOFF, retryFor, this::retry);
  }

  /**
   * Adds an increment on the server, unless the outcome's id is among those it keeps. When Redis
   * fails or does not answer in time, the increment is queued and tried again with the same id, and
   * this returns; it throws only when the increment could not be queued, and is lost.
   *
   * @param outcomeId the outcome's id, or null for an increment without one: it gets a random id,
   *     so that a retry still counts it once
   * @param s the increment
   * @throws RedisUnavailableException if Redis failed or did not answer in time, and the retry
   *     queue was full or closed
   */
  public void add(@Nullable String outcomeId, VariantStats s) {
    byte[][] args = {
      StatsFields.combination(s).getBytes(StandardCharsets.UTF_8),
      maxEntries,
      ascii(Long.toString(s.exposures())),
      ascii(Long.toString(s.clicks())),
      ascii(Long.toString(s.addsToCart())),
      ascii(Long.toString(s.purchases())),
      ascii(s.value() == 0 ? "0" : Double.toString(s.value())),
      outcomeId == null ? randomId() : digest(outcomeId),
      maxIds,
      idTtlMillis,
      ascii(StatsFields.discounted(s.discounted()))
    };
    long answer;
    try {
      answer = run(args);
    } catch (RedisUnavailableException e) {
      if (retries.offer(args)) {
        retried.increment();
        return;
      }
      throw e;
    }
    if (answer == DUPLICATE) {
      duplicates.increment();
    } else if (answer == REFUSED) {
      dropped.increment();
    }
  }

  /** Tries a queued increment again; an answer that it is a duplicate means it had been applied. */
  private boolean retry(byte[][] args) {
    try {
      if (run(args) == REFUSED) {
        dropped.increment();
      }
      return true;
    } catch (RedisUnavailableException e) {
      return false;
    }
  }

  private long run(byte[][] args) {
    List<Object> answer;
    try {
      answer = link.eval(ADD, keys.both(), System.nanoTime() + timeoutNanos, args);
    } catch (RedisUnavailableException e) {
      log.failure(e);
      throw e;
    }
    log.success();
    return !answer.isEmpty() && answer.get(0) instanceof Long l ? l : REFUSED;
  }

  /** Returns the first 128 bits of SHA-256 of the id: what the sorted set keeps. */
  private static byte[] digest(String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return Arrays.copyOf(hash, ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static byte[] randomId() {
    byte[] id = new byte[ID_BYTES];
    ThreadLocalRandom.current().nextBytes(id);
    return id;
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
    byte[] key = keys.totals();
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

  /** Merges the hash named before hash tags, if there is one, into the hash: one pass. */
  private void migrate(long deadline) {
    byte[] cursor = {'0'};
    do {
      List<Object> answer =
          link.eval(
              MIGRATE, new byte[][] {keys.totals(), keys.legacy()}, deadline, cursor, PAGE_FIELDS);
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

  /** Returns how many times Redis failed or did not answer in time; not all of them lost data. */
  public long failures() {
    return log.failures();
  }

  /** Returns how many increments were not added because their outcome id was kept. */
  public long duplicates() {
    return duplicates.sum();
  }

  /** Returns how many increments failed at first and were queued to be tried again. */
  public long retried() {
    return retried.sum();
  }

  /**
   * Returns how many increments failed and were not tried again until applied: refused by a full or
   * closed retry queue, given up after the retry time, or left at close. Redis may have applied
   * some of them before its answer was missed.
   */
  public long lost() {
    return retries.dropped();
  }

  /** Returns how many increments wait to be tried again. */
  public int queued() {
    return retries.size();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Tries the queued increments for at most {@link #CLOSE_WAIT}, then closes the connection. */
  @Override
  public void close() {
    retries.close(CLOSE_WAIT);
    link.close();
  }
}
