package dev.persona.bench;

import dev.persona.PersonaEngine;
import dev.persona.SignalSpec;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.rules.RuleSetReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * Loading a rule file: reading a {@linkplain GeneratedRules generated} 1,000-rule JSON file with
 * {@link RuleSetReader} (parse and validate) and compiling it with {@link CompiledRuleSet#compile}
 * (type-check and resolve slots), as a reload does; and the default rule set the same way.
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar CompileBenchmark -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CompileBenchmark {
  private final RuleSetReader reader = RuleSetReader.create();
  private final List<SignalSpec> signals = PersonaEngine.builtInSignals();
  private String generated;
  private String defaults;

  /** Generates the file's text. */
  @Setup
  public void setUp() {
    generated = GeneratedRules.json(1000, ScoringBenchmark.SEED);
    try (InputStream in =
        RuleSetReader.class.getResourceAsStream("/" + RuleSetReader.DEFAULT_RESOURCE)) {
      defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and compiles 1,000 generated rules. */
  @Benchmark
  public CompiledRuleSet readAndCompile1000Rules() {
    return CompiledRuleSet.compile(reader.read(generated, "generated-1000.json"), signals);
  }

  /** Reads and compiles the default rule set. */
  @Benchmark
  public CompiledRuleSet readAndCompileDefaultRules() {
    return CompiledRuleSet.compile(reader.read(defaults, "default-rules.json"), signals);
  }
}
