package dev.persona.bench;

import dev.persona.PersonaEngine;
import dev.persona.bench.peer.PersonaPeer;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.util.List;
import java.util.Map;
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
 * Rule evaluation alone: a prepared session state (a {@code SignalFrame} of one of the {@linkplain
 * Corpus#standard() corpus}'s 256 sessions, cycled) to persona scores, through {@code
 * CompiledRuleSet.score} into a reused array. For the default rule set and for {@linkplain
 * GeneratedRules generated} rule sets of 10, 100 and 1,000 rules, so that the growth of cost with
 * rule count shows.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar ScoringBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScoringBenchmark {
  /** The seed of the generated rule sets. */
  static final long SEED = 6;

  /** {@code default}: the built-in rule set; a number: that many generated rules. */
  @Param({"default", "10", "100", "1000"})
  public String rules;

  private PersonaPeer persona;
  private SignalFrame[] frames;
  private double[] scores;
  private int next;

  /** Compiles the rule set and lays out the corpus's frames for it. */
  @Setup
  public void setUp() {
    RuleSet ruleSet =
        rules.equals("default")
            ? RuleSetReader.defaultRuleSet()
            : GeneratedRules.ruleSet(Integer.parseInt(rules), SEED);
    persona = new PersonaPeer(ruleSet, PersonaEngine.builtInSignals());
    List<Map<String, Object>> facts = Corpus.standard().facts();
    frames = new SignalFrame[facts.size()];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = persona.prepare(facts.get(i));
    }
    scores = new double[ruleSet.personas().size()];
  }

  /** Scores the next session of the corpus. */
  @Benchmark
  public double[] score() {
    int i = next;
    next = (i + 1) & (Corpus.SIZE - 1);
    persona.score(frames[i], scores);
    return scores;
  }
}
