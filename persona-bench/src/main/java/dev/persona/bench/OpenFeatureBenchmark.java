package dev.persona.bench;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.NoOpProvider;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Value;
import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.openfeature.PersonaProvider;
import dev.persona.rules.RuleSetReader;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A decision through the OpenFeature client ({@code persona-openfeature}) beside a direct {@code
 * decide}, on the same engine (the default rule set) and the same request: a warm session, four
 * headers, no event (an evaluation context carries none).
 *
 * <ul>
 *   <li>{@code directDecide}: {@code engine.decide(visit)} on a visit built before the timed
 *       region, and the hero's variant id: the engine alone, as {@code DecideBenchmark} measures
 *       it.
 *   <li>{@code directDecideBuildingVisit}: the same, with the visit built from the four headers in
 *       the timed region, as an integration builds one per request.
 *   <li>{@code openFeatureString}: {@code client.getStringValue("home.hero", ...)} on a context
 *       built before the timed region, with decision reuse off, so that every evaluation is one
 *       {@code decide}: the SDK's merging of contexts and hooks, the context read into a visit, the
 *       resolution.
 *   <li>{@code providerString}: the same evaluation on the provider itself, without the SDK's
 *       client: the part of the difference that is the provider's.
 *   <li>{@code directPage} and {@code openFeaturePage}: one request of a page with three
 *       placements, its input built in the timed region: a visit and one {@code decide}, against a
 *       context with a request id and three string evaluations that share one decision, kept for
 *       the default second or for 20 ms ({@code reuseMillis}): at the benchmark's rate of requests,
 *       a second holds the most decisions the provider keeps (10,000), which the collector must
 *       then copy.
 * </ul>
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar OpenFeatureBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(3)
public class OpenFeatureBenchmark {
  private static final String USER_AGENT =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
  private static final String[] PLACEMENTS = {"home.hero", "product.badge", "cart.message"};

  private final AtomicLong threads = new AtomicLong();
  private PersonaEngine engine;
  private PersonaProvider provider;
  private Client perEvaluation;
  private long domains;

  /** Builds the engine and the provider of one decision per evaluation. */
  @Setup
  public void setUp() {
    engine = PersonaEngine.builder().ruleSet(RuleSetReader.defaultRuleSet()).build();
    for (String p : PLACEMENTS) {
      if (engine.ruleSet().placements().stream().noneMatch(x -> x.id().equals(p))) {
        throw new IllegalStateException("the default rule set has no placement " + p);
      }
    }
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    provider =
        PersonaProvider.builder(engine)
            .decisionReuse(Duration.ZERO)
            .reloadCheckInterval(Duration.ZERO)
            .build();
    api.setProviderAndWait("bench-evaluation", provider);
    perEvaluation = api.getClient("bench-evaluation");
  }

  /** Lets the provider go. */
  @TearDown
  public void tearDown() {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait("bench-evaluation", new NoOpProvider());
    engine.close();
  }

  /**
   * The client of a provider that shares one decision among a request's evaluations, for {@code
   * reuseMillis} (the default is 1,000), so that the page benchmarks show what keeping decisions
   * costs at the benchmark's rate of requests.
   */
  @State(Scope.Benchmark)
  public static class PerRequest {
    @Param({"1000", "20"})
    public long reuseMillis;

    Client client;
    String domain;

    /** Sets the provider on a domain of its own. */
    @Setup
    public void setUp(OpenFeatureBenchmark b) {
      b.domains++;
      domain = "bench-request-" + b.domains;
      OpenFeatureAPI.getInstance()
          .setProviderAndWait(
              domain,
              PersonaProvider.builder(b.engine)
                  .decisionReuse(Duration.ofMillis(reuseMillis))
                  .reloadCheckInterval(Duration.ZERO)
                  .build());
      client = OpenFeatureAPI.getInstance().getClient(domain);
    }

    /** Lets the provider go. */
    @TearDown
    public void tearDown() {
      OpenFeatureAPI.getInstance().setProviderAndWait(domain, new NoOpProvider());
    }
  }

  /** One thread's sessions, warm, and their inputs. */
  @State(Scope.Thread)
  public static class Inputs {
    String directSession;
    String openFeatureSession;
    Visit visit;
    EvaluationContext context;
    long requests;

    /** Builds the inputs and warms both sessions. */
    @Setup
    public void setUp(OpenFeatureBenchmark b) {
      long thread = b.threads.incrementAndGet();
      directSession = "direct-" + thread;
      openFeatureSession = "openfeature-" + thread;
      visit = visit(directSession);
      context = context(openFeatureSession, null);
      for (int i = 0; i < 3; i++) {
        b.engine.decide(visit);
        b.perEvaluation.getStringValue("home.hero", "new-season", context);
      }
    }
  }

  /** A direct decision, the hero's variant. */
  @Benchmark
  public String directDecide(Inputs in) {
    return engine.decide(in.visit).variant("home.hero").variant();
  }

  /** A direct decision on a visit built from the request's headers, the hero's variant. */
  @Benchmark
  public String directDecideBuildingVisit(Inputs in) {
    return engine.decide(visit(in.directSession)).variant("home.hero").variant();
  }

  /** The hero's variant through the OpenFeature client, one decision per evaluation. */
  @Benchmark
  public String openFeatureString(Inputs in) {
    return perEvaluation.getStringValue("home.hero", "new-season", in.context);
  }

  /** The provider called directly, without the SDK's client: what the provider itself adds. */
  @Benchmark
  public String providerString(Inputs in) {
    return provider.getStringEvaluation("home.hero", "new-season", in.context).getValue();
  }

  /** A page of three placements, decided directly. */
  @Benchmark
  public void directPage(Inputs in, Blackhole bh) {
    Decision d = engine.decide(visit(in.directSession));
    for (String p : PLACEMENTS) {
      bh.consume(d.variant(p).variant());
    }
  }

  /** A page of three placements through the OpenFeature client, one decision for the request. */
  @Benchmark
  public void openFeaturePage(Inputs in, PerRequest pr, Blackhole bh) {
    EvaluationContext ctx = context(in.openFeatureSession, "r" + in.requests++);
    for (String p : PLACEMENTS) {
      bh.consume(pr.client.getStringValue(p, "default", ctx));
    }
  }

  static Visit visit(String session) {
    return Visit.builder(session)
        .header("User-Agent", USER_AGENT)
        .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
        .header("CF-IPCountry", "PL")
        .header("Referer", "https://www.google.com/")
        .build();
  }

  static EvaluationContext context(String session, String requestId) {
    Map<String, Value> attributes = new HashMap<>();
    attributes.put("header.User-Agent", new Value(USER_AGENT));
    attributes.put("header.Accept-Language", new Value("pl-PL,pl;q=0.9,en;q=0.8"));
    attributes.put("header.CF-IPCountry", new Value("PL"));
    attributes.put("header.Referer", new Value("https://www.google.com/"));
    if (requestId != null) {
      attributes.put("requestId", new Value(requestId));
    }
    return new ImmutableContext(session, attributes);
  }
}
