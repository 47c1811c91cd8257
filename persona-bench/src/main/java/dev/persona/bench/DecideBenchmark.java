package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole per-request path: a visit in, a decision out.
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
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecideBenchmark {
  private static final String USER_AGENT =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";

  private final AtomicLong sessions = new AtomicLong();
  private PersonaEngine engine;
  private Event event;
  private Visit warm;
  private Visit optedOut;

  /** Builds the engine and warms one session. */
  @Setup
  public void setUp() {
    engine = PersonaEngine.builder().ruleSet(BenchRules.ruleSet()).build();
    event = Event.builder("product_view").attribute("sku", "A1").attribute("on_sale", true).build();
    warm = visit("warm", false);
    optedOut = visit("gpc", true);
    engine.decide(warm);
  }

  /** A known session, a typical visit: four headers, one event. */
  @Benchmark
  public Decision decideWarmSession() {
    return engine.decide(warm);
  }

  /** A session never seen before. */
  @Benchmark
  public Decision decideNewSession() {
    return engine.decide(visit("s" + sessions.incrementAndGet(), false));
  }

  /** A visitor who sent {@code Sec-GPC: 1}. */
  @Benchmark
  public Decision decideOptedOut() {
    return engine.decide(optedOut);
  }

  private Visit visit(String session, boolean gpc) {
    Visit.Builder b =
        Visit.builder(session)
            .header("User-Agent", USER_AGENT)
            .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
            .header("CF-IPCountry", "PL")
            .header("Referer", "https://www.google.com/")
            .event(event);
    if (gpc) {
      b.header("Sec-GPC", "1");
    }
    return b.build();
  }
}
