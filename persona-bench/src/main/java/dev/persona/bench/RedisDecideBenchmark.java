package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.redis.RedisSessionStore;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * </ul>
 *
 * <p>Needs {@code redis-server} on the PATH (Debian: {@code apt-get install redis-server}).
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

  private final AtomicLong sessions = new AtomicLong();
  private Process redis;
  private RedisSessionStore nearStore;
  private RedisSessionStore plainStore;
  private PersonaEngine inMemory;
  private PersonaEngine near;
  private PersonaEngine plain;
  private Event event;

  /** Starts redis-server, builds the engines and warms their sessions. */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    int port = freePort();
    redis = startRedis(port);
    // A set-up that fails below gets no tear-down: the server must not outlive this JVM.
    Process server = redis;
    Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
    String uri = "redis://127.0.0.1:" + port;
    // Generous timeouts: this measures the round trips, not the fault path.
    nearStore =
        RedisSessionStore.builder(uri)
            .commandTimeout(Duration.ofMillis(250))
            .sessionTtl(Duration.ofMinutes(2))
            .build();
    plainStore =
        RedisSessionStore.builder(uri)
            .commandTimeout(Duration.ofMillis(250))
            .sessionTtl(Duration.ofMinutes(2))
            .nearCacheSize(0)
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
    event = Event.builder("product_view").attribute("sku", "A1").attribute("on_sale", true).build();
    for (PersonaEngine e : new PersonaEngine[] {inMemory, near, plain}) {
      if (!e.decide(visit("warm")).flags().isEmpty()) {
        throw new IllegalStateException("the warm-up decision was flagged: " + e);
      }
    }
  }

  /** Closes the stores and stops redis-server. */
  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (nearStore != null) {
      nearStore.close();
    }
    if (plainStore != null) {
      plainStore.close();
    }
    redis.destroy();
    if (!redis.waitFor(10, TimeUnit.SECONDS)) {
      redis.destroyForcibly();
    }
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

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static Process startRedis(int port) throws IOException {
    String binary = null;
    for (String dir :
        System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator, -1)) {
      if (new File(dir, "redis-server").canExecute()) {
        binary = new File(dir, "redis-server").getPath();
        break;
      }
    }
    if (binary == null) {
      throw new IllegalStateException(
          "RedisDecideBenchmark needs redis-server on the PATH (apt-get install redis-server)");
    }
    Process p =
        new ProcessBuilder(
                binary,
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!answersPing(port)) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not start on port " + port);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
    }
    return p;
  }

  private static boolean answersPing(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
    } catch (IOException e) {
      return false;
    }
  }
}
