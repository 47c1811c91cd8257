package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.PredictionConfig;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSet;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the predicted signals add to a decision: the same warm-session visit with a repeat
 * customer's order-history facts, decided by an engine without models ({@code withoutModels}) and
 * with BG/NBD and Gamma-Gamma fitted ({@code withModels}, CDNOW's parameters in weeks). With {@code
 * rules=default} the rule set tests what the default rules test ({@code p_alive} and {@code
 * days_overdue}); with {@code rules=all} it also tests {@code expected_orders}, {@code
 * expected_order_value} and {@code predicted_clv}, whose series of 2F1 are the costly part. Issue
 * 20's target: at most 100 ns more. {@code predictionsAlone} computes the five predictions for the
 * same customer without a decision.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar PredictionBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(3)
public class PredictionBenchmark {
  private static final BgNbd BG = new BgNbd(0.243, 4.414, 0.793, 2.426);
  private static final GammaGamma VALUE = new GammaGamma(6.25, 3.74, 15.44);

  /** CDNOW's parameters (Fader, Hardie and Lee 2005), in weeks. */
  static final PredictionConfig CDNOW =
      PredictionConfig.builder().bgNbd(BG).gammaGamma(VALUE).period(Duration.ofDays(7)).build();

  /** Which predicted signals the rule set tests. */
  @Param({"default", "all"})
  public String rules;

  private PersonaEngine plain;
  private PersonaEngine predicting;
  private Visit visit;

  /** Builds both engines on the same rule set and warms the session. */
  @Setup
  public void setUp() {
    RuleSet ruleSet = RuleSetReader.defaultRuleSet();
    if (rules.equals("all")) {
      ruleSet =
          ruleSet.toBuilder()
              .rule(
                  Rule.builder("valuable")
                      .when(
                          Condition.all(
                              Condition.gte("expected_orders", 1),
                              Condition.gte("expected_order_value", 30),
                              Condition.gte("predicted_clv", 100)))
                      .add("brand_loyalist", 0.1)
                      .description("expected to order again soon and to be worth a lot")
                      .build())
              .build();
    }
    plain = PersonaEngine.builder().ruleSet(ruleSet).build();
    predicting = PersonaEngine.builder().ruleSet(ruleSet).prediction(CDNOW).build();
    visit = visit("warm-prediction");
    for (int i = 0; i < 3; i++) {
      plain.decide(visit);
      predicting.decide(visit);
    }
  }

  /**
   * {@link DecideBenchmark}'s warm visit, with six orders a month apart, the latest 31 days ago.
   */
  static Visit visit(String session) {
    return Visit.builder(session)
        .header("User-Agent", DecideBenchmark.visit(session, false).headers().get("User-Agent"))
        .header("Accept-Language", "pl-PL,pl;q=0.9,en;q=0.8")
        .header("CF-IPCountry", "PL")
        .header("Referer", "https://www.google.com/")
        .event(DecideBenchmark.visit(session, false).events().get(0))
        .profile("orders", 6)
        .profile("lifetime_value", 240.0)
        .profile("avg_days_between_orders", 30)
        .profile("days_since_last_order", 31)
        .build();
  }

  /** No models: the predicted signals are absent. */
  @Benchmark
  public Decision withoutModels() {
    return plain.decide(visit);
  }

  /** Fitted models: the signals the rule set tests are predicted. */
  @Benchmark
  public Decision withModels() {
    return predicting.decide(visit);
  }

  /**
   * The five predictions alone, for the visit's customer (x = 5, tₓ = 150 days, T = 181 days, in
   * weeks), through the models' public methods: what {@code withModels} adds at most, without the
   * rest of a decision's noise.
   */
  @Benchmark
  public double predictionsAlone() {
    double x = orders - 1;
    double t = (since + gap * x) / 7;
    double tx = t - since / 7;
    double value = VALUE.expectedOrderValue(x, mean);
    return BG.probabilityAlive(x, tx, t)
        + BG.expectedOrders(90 / 7.0, x, tx, t)
        + value
        + BG.expectedOrders(365 / 7.0, x, tx, t) * value
        + (since - gap);
  }

  // fields, so that the JIT cannot fold the predictions into constants
  private double orders = 6;
  private double since = 31;
  private double gap = 30;
  private double mean = 40;
}
