package dev.persona.bench;

import dev.persona.PersonaEngine;
import dev.persona.bench.peer.Peer;
import dev.persona.bench.peer.PersonaScorer;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
 * The default rule set's persona scoring (every persona rule with its weights, {@code per} scaling
 * and the clamp to [0, 1]) in each engine a Java team might pick instead, on the same {@linkplain
 * Corpus#standard() corpus} of 256 sessions, cycled, one score array per op. {@code
 * PeerEquivalenceTest} proves that every engine computes the same scores as Persona on the whole
 * corpus.
 *
 * <p>Each engine gets its natural input, prepared before the timed region: Persona a {@code
 * SignalFrame}, the hand-written rules and Drools a typed {@code ShopperFacts}, CEL its activation
 * map, Easy Rules its {@code Facts}, JsonLogic its data map. Each {@code …FromMap} variant starts
 * from the session's {@code Map<String, Object>} of facts instead and converts it in the timed
 * region, so that the conversion's cost shows. Single-threaded: the Easy Rules and Drools peers
 * collect scores through shared state, so do not run this class with {@code -t 2}.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar PeerComparisonBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PeerComparisonBenchmark {

  /** One engine with the corpus prepared in its input form. */
  static final class Lane<I> {
    private final PersonaScorer<I> scorer;
    private final List<I> inputs;

    Lane(PersonaScorer<I> scorer, List<Map<String, Object>> corpus) {
      this.scorer = scorer;
      this.inputs = new ArrayList<>(corpus.size());
      for (Map<String, Object> facts : corpus) {
        inputs.add(scorer.prepare(facts));
      }
    }

    void score(int session, double[] scores) {
      scorer.score(inputs.get(session), scores);
    }

    void scoreFromMap(Map<String, Object> facts, double[] scores) {
      scorer.score(scorer.prepare(facts), scores);
    }
  }

  /** Every engine's lane, built once per JVM: building Drools' rule base takes seconds. */
  static final class Lanes {
    static final Map<Peer, Lane<?>> ALL = build();

    private static Map<Peer, Lane<?>> build() {
      RuleSet ruleSet = RuleSetReader.defaultRuleSet();
      List<Map<String, Object>> corpus = Corpus.standard().facts();
      Map<Peer, Lane<?>> out = new EnumMap<>(Peer.class);
      for (Peer p : Peer.values()) {
        out.put(p, lane(p.create(ruleSet, PersonaEngine.builtInSignals()), corpus));
      }
      return out;
    }

    private static <I> Lane<I> lane(PersonaScorer<I> scorer, List<Map<String, Object>> corpus) {
      return new Lane<>(scorer, corpus);
    }
  }

  private final double[] scores = new double[7];
  private List<Map<String, Object>> corpus;
  private Lane<?> persona;
  private Lane<?> handWritten;
  private Lane<?> cel;
  private Lane<?> easyRules;
  private Lane<?> jsonLogic;
  private Lane<?> drools;
  private int next;

  /** Picks up the lanes. */
  @Setup
  public void setUp() {
    corpus = Corpus.standard().facts();
    persona = Lanes.ALL.get(Peer.PERSONA);
    handWritten = Lanes.ALL.get(Peer.HAND_WRITTEN);
    cel = Lanes.ALL.get(Peer.CEL);
    easyRules = Lanes.ALL.get(Peer.EASY_RULES);
    jsonLogic = Lanes.ALL.get(Peer.JSON_LOGIC);
    drools = Lanes.ALL.get(Peer.DROOLS);
  }

  private int next() {
    int i = next;
    next = (i + 1) & (Corpus.SIZE - 1);
    return i;
  }

  /** Persona: CompiledRuleSet.score over a prepared SignalFrame. */
  @Benchmark
  public double[] persona() {
    persona.score(next(), scores);
    return scores;
  }

  /** Persona from the fact map: signals laid out in a new SignalFrame, then scored. */
  @Benchmark
  public double[] personaFromMap() {
    persona.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }

  /** The same rules as hand-written Java if-statements over typed facts: the floor. */
  @Benchmark
  public double[] handWritten() {
    handWritten.score(next(), scores);
    return scores;
  }

  /** Hand-written, from the fact map: typed facts built, then scored. */
  @Benchmark
  public double[] handWrittenFromMap() {
    handWritten.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }

  /** CEL: one program per rule over a prepared activation. */
  @Benchmark
  public double[] cel() {
    cel.score(next(), scores);
    return scores;
  }

  /** CEL from the fact map. */
  @Benchmark
  public double[] celFromMap() {
    cel.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }

  /** Easy Rules with MVEL conditions over prepared Facts. */
  @Benchmark
  public double[] easyRules() {
    easyRules.score(next(), scores);
    return scores;
  }

  /** Easy Rules from the fact map. */
  @Benchmark
  public double[] easyRulesFromMap() {
    easyRules.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }

  /** JsonLogic: one cached expression per rule over a prepared data map. */
  @Benchmark
  public double[] jsonLogic() {
    jsonLogic.score(next(), scores);
    return scores;
  }

  /** JsonLogic from the fact map. */
  @Benchmark
  public double[] jsonLogicFromMap() {
    jsonLogic.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }

  /** Drools: executable model, one stateless-session execute over a prepared fact. */
  @Benchmark
  public double[] drools() {
    drools.score(next(), scores);
    return scores;
  }

  /** Drools from the fact map. */
  @Benchmark
  public double[] droolsFromMap() {
    drools.scoreFromMap(corpus.get(next()), scores);
    return scores;
  }
}
