package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.redis.RedisSessionStore;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import dev.persona.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code decide} with sessions on Redis ({@code persona-redis}), against a local redis-server that
 * the benchmark starts on a free loopback port and stops by pid; the same visit as {@code
 * DecideBenchmark}, with the default rule set.
 *
 * <ul>
 *   <li>{@code inMemory}: the default in-memory store, for comparison.
 *   <li>{@code redisNearCacheHit}: a warm session this instance wrote last: one round trip (the
 *       compare-and-set succeeds).
 *   <li>{@code redisNearCacheMiss}: a warm session, no near cache (as when another instance wrote
 *       last): two round trips (the compare-and-set answers the current state, the second one
 *       writes).
 *   <li>{@code redisNewSession}: a session never seen: one round trip and hashing its key.
 *   <li>{@code redisWriteBehindCurrentCopy}: {@code writeBehind}, one of {@value #WARM_SESSIONS}
 *       sessions in turn, each a copy known current: no round trip on the request thread; the
 *       background writer writes each session's changes once per round, 64 sessions a command, on
 *       the same cores.
 *   <li>{@code redisWriteBehindOneSession}: {@code writeBehind} on one warm session, as {@code
 *       inMemory} and {@code redisNearCacheHit} decide: the writer writes it about once per round
 *       trip, with all the changes made meanwhile.
 * </ul>
 *
 * <p>Runs the machine's {@code redis-server} (Debian: {@code apt-get install redis-server}), else
 * the binary inside the embedded-redis dependency (Linux x86-64), as the Redis tests do.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar RedisDecideBenchmark -prof gc
 * java -jar persona-bench/target/benchmarks.jar RedisDecideBenchmark -prof gc -wi 2 -w 1 -i 3 -r 2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RedisDecideBenchmark {
  private static final String USER_AGENT =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";

  private static final int WARM_SESSIONS = 1_000;
  private static final String[] WARM = new String[WARM_SESSIONS];

  static {
    for (int i = 0; i < WARM_SESSIONS; i++) {
      WARM[i] = "w" + i;
    }
  }

  private final AtomicLong sessions = new AtomicLong();
  private RedisServer redis;
  private RedisSessionStore nearStore;
  private RedisSessionStore plainStore;
  private RedisSessionStore behindStore;
  private PersonaEngine behind;
  private int next;
  private PersonaEngine inMemory;
  private PersonaEngine near;
  private PersonaEngine plain;
  private Event event;

  /** Starts redis-server, builds the engines and warms their sessions. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    redis = RedisServer.start();
    // A set-up that fails below gets no tear-down: the server must not outlive this JVM.
    RedisServer server = redis;
    Runtime.getRuntime().addShutdownHook(new Thread(server::close));
    String uri = redis.uri();
    // Generous timeouts: this measures the round trips, not the fault path. A prefix each: a
    // store hears of the writes under its prefix, and the others are not instances of it.
    nearStore =
        RedisSessionStore.builder(uri)
            .keyPrefix("near:")
            .commandTimeout(Duration.ofMillis(250))
            .sessionTtl(Duration.ofMinutes(2))
            .build();
    plainStore =
        RedisSessionStore.builder(uri)
            .keyPrefix("plain:")
            .commandTimeout(Duration.ofMillis(250))
            .sessionTtl(Duration.ofMinutes(2))
            .nearCacheSize(0)
            .build();
    behindStore =
        RedisSessionStore.builder(uri)
            .keyPrefix("behind:")
            .commandTimeout(Duration.ofMillis(250))
            .sessionTtl(Duration.ofMinutes(2))
            .writeBehind(true)
            .build();
    RuleSet rules = RuleSetReader.defaultRuleSet();
    inMemory = PersonaEngine.builder().ruleSet(rules).build();
    near =
        PersonaEngine.builder()
            .ruleSet(rules)
            .sessions(SessionConfig.store(nearStore).build())
            .build();
    plain =
        PersonaEngine.builder()
            .ruleSet(rules)
            .sessions(SessionConfig.store(plainStore).build())
            .build();
    behind =
        PersonaEngine.builder()
            .ruleSet(rules)
            .sessions(SessionConfig.store(behindStore).build())
            .build();
    event = Event.builder("product_view").attribute("sku", "A1").attribute("on_sale", true).build();
    for (PersonaEngine e : new PersonaEngine[] {inMemory, near, plain}) {
      if (!e.decide(visit("warm")).flags().isEmpty()) {
        throw new IllegalStateException("the warm-up decision was flagged: " + e);
      }
    }
    for (int i = 0; i < WARM_SESSIONS; i++) {
      behind.decide(visit("w" + i));
    }
    if (!behind.decide(visit("warm")).flags().isEmpty()) {
      throw new IllegalStateException("the warm-up decision was flagged: " + behind);
    }
  }

  /** Closes the stores and stops redis-server. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (nearStore != null) {
      nearStore.close();
    }
    if (plainStore != null) {
      plainStore.close();
    }
    if (behindStore != null) {
      behindStore.close();
    }
    redis.close();
  }

  /** The default in-memory store. */
  @Benchmark
  public Decision inMemory() {
    return inMemory.decide(visit("warm"));
  }

  /** Redis, the near cache holding the current copy. */
  @Benchmark
  public Decision redisNearCacheHit() {
    return near.decide(visit("warm"));
  }

  /**
   * Redis with {@code writeBehind}: one of {@value #WARM_SESSIONS} sessions in turn, each a copy
   * known current (Redis reported no other write), so that the write goes on in the background.
   */
  @Benchmark
  public Decision redisWriteBehindCurrentCopy() {
    int i = next;
    next = i + 1 == WARM_SESSIONS ? 0 : i + 1;
    return behind.decide(visit(WARM[i]));
  }

  /**
   * Redis with {@code writeBehind}: the one warm session, a copy known current, as {@link
   * #inMemory} and {@link #redisNearCacheHit} decide.
   */
  @Benchmark
  public Decision redisWriteBehindOneSession() {
    return behind.decide(visit("warm"));
  }

  /** Redis without a near cache. */
  @Benchmark
  public Decision redisNearCacheMiss() {
    return plain.decide(visit("warm"));
  }

  /** Redis, a session never seen before. */
  @Benchmark
  public Decision redisNewSession() {
    return near.decide(visit("s" + sessions.incrementAndGet()));
  }

  private Visit visit(String session) {
    return Visit.builder(session)
        .header("User-Agent", USER_AGENT)
        .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
        .header("CF-IPCountry", "PL")
        .header("Referer", "https://www.google.com/")
        .event(event)
        .build();
  }
}
