package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole per-request path with the default rule set: a visit in, a decision out. The visits are
 * built before the timed region (a {@link Visit} is an immutable input), so the figures are the
 * engine's: contextual extraction, the session update, the rules, the decision.
 *
 * <ul>
 *   <li>{@code decideWarmSession}: a known session (each thread its own), a typical visit: four
 *       headers (User-Agent, Accept-Language, CF-IPCountry, Referer) and one product view.
 *   <li>{@code decideSignedIn}: the typical visit of a signed-in shopper's known session (each
 *       thread its own user): the session's and the user's profile's update, and the profile's
 *       signals.
 *   <li>{@code decideNewSession}: the same visit for sessions never seen before, {@value #BATCH}
 *       fresh session ids prepared per invocation and decided in a row (figures are per decision).
 *   <li>{@code decideOptedOut}: the typical visit with {@code Sec-GPC: 1}: request signals only,
 *       nothing stored.
 * </ul>
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar DecideBenchmark -prof gc          # 1 thread
 * java -jar persona-bench/target/benchmarks.jar DecideBenchmark -prof gc -t 2     # 2 threads
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(3)
public class DecideBenchmark {
  /** New sessions decided per invocation of {@code decideNewSession}. */
  public static final int BATCH = 1024;

  private static final String USER_AGENT =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
  private static final Event PRODUCT_VIEW =
      Event.builder("product_view")
          .attribute("sku", "A1")
          .attribute("brand", "acme")
          .attribute("category", "shoes")
          .attribute("on_sale", true)
          .build();

  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong threads = new AtomicLong();
  private PersonaEngine engine;

  /** Builds the engine with the default rule set. */
  @Setup
  public void setUp() {
    engine = PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();
  }

  /** One thread's visits: its own warm session, and its opted-out visit. */
  @State(Scope.Thread)
  public static class Visits {
    Visit warm;
    Visit signedIn;
    Visit optedOut;

    /** Builds the visits and warms the thread's session. */
    @Setup
    public void setUp(DecideBenchmark b) {
      long thread = b.threads.incrementAndGet();
      warm = visit("warm-" + thread, false);
      signedIn = visit("signed-in-" + thread, "user-" + thread, false);
      optedOut = visit("gpc-" + thread, true);
      for (int i = 0; i < 3; i++) {
        b.engine.decide(warm);
        b.engine.decide(signedIn);
      }
    }
  }

  /** A batch of visits for sessions never seen before, fresh for every invocation. */
  @State(Scope.Thread)
  public static class NewSessions {
    final Visit[] visits = new Visit[BATCH];

    /** Builds {@value DecideBenchmark#BATCH} visits with session ids not used before. */
    @Setup(Level.Invocation)
    public void setUp(DecideBenchmark b) {
      for (int i = 0; i < BATCH; i++) {
        visits[i] = visit("new-" + b.sessions.incrementAndGet(), false);
      }
    }
  }

  /** A known session, a typical visit: four headers, one event. */
  @Benchmark
  public Decision decideWarmSession(Visits v) {
    return engine.decide(v.warm);
  }

  /** A signed-in shopper's known session, a typical visit. */
  @Benchmark
  public Decision decideSignedIn(Visits v) {
    return engine.decide(v.signedIn);
  }

  /** Sessions never seen before, each with the typical visit. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void decideNewSession(NewSessions s, Blackhole bh) {
    for (Visit v : s.visits) {
      bh.consume(engine.decide(v));
    }
  }

  /** A visitor who sent {@code Sec-GPC: 1}. */
  @Benchmark
  public Decision decideOptedOut(Visits v) {
    return engine.decide(v.optedOut);
  }

  static Visit visit(String session, boolean gpc) {
    return visit(session, null, gpc);
  }

  static Visit visit(String session, String user, boolean gpc) {
    Visit.Builder b =
        Visit.builder(session)
            .userId(user)
            .header("User-Agent", USER_AGENT)
            .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
            .header("CF-IPCountry", "PL")
            .header("Referer", "https://www.google.com/")
            .event(PRODUCT_VIEW);
    if (gpc) {
      b.header("Sec-GPC", "1");
    }
    return b.build();
  }
}
