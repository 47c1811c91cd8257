package dev.persona.bench;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import java.util.concurrent.TimeUnit;
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
 * What an optimized placement costs per decision: the same warm-session visit decided with the
 * default rule set ({@code personaMatched}) and with its {@code home.hero} placement optimized
 * ({@code optimized}: Thompson sampling over the eligible variants, on statistics past warm-up,
 * read from the in-memory stats store at most once a second). Issue 5's target: within 20%.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar OptimizedDecideBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(3)
public class OptimizedDecideBenchmark {
  private PersonaEngine plain;
  private PersonaEngine optimized;
  private Visit visit;

  /** Builds both engines, and gives the optimized one statistics past warm-up. */
  @Setup
  public void setUp() {
    RuleSet rules = RuleSetReader.defaultRuleSet();
    Placement hero =
        rules.placements().stream()
            .filter(p -> p.id().equals("home.hero"))
            .findFirst()
            .orElseThrow()
            .optimized(Optimization.DEFAULTS);
    plain = PersonaEngine.builder().ruleSet(rules).build();
    optimized = PersonaEngine.builder().ruleSet(rules.toBuilder().placement(hero).build()).build();
    visit = DecideBenchmark.visit("warm-optimized", false);
    for (int i = 0; i < 5_000; i++) {
      Decision d = optimized.decide(DecideBenchmark.visit("learn-" + (i % 500), false));
      VariantChoice c = d.variant("home.hero");
      optimized.recordOutcome(Outcome.shown("learn", c));
      if (i % 7 == 0) {
        optimized.recordOutcome(Outcome.clicked("learn", c));
      }
    }
    for (int i = 0; i < 3; i++) {
      plain.decide(visit);
      optimized.decide(visit);
    }
  }

  /** The default rule set: {@code home.hero} chosen by persona match. */
  @Benchmark
  public Decision personaMatched() {
    return plain.decide(visit);
  }

  /** The same, with {@code home.hero} optimized. */
  @Benchmark
  public Decision optimized() {
    return optimized.decide(visit);
  }
}
