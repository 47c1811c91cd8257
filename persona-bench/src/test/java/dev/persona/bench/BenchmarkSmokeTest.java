package dev.persona.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI's smoke run of the suite: every benchmark, every parameter, one short measurement iteration in
 * this JVM. It judges no speed; it fails when a benchmark throws or does not run.
 */
final class BenchmarkSmokeTest {
  private static final List<Class<?>> BENCHMARKS =
      List.of(
          DecideBenchmark.class,
          ScoringBenchmark.class,
          ExtractBenchmark.class,
          CompileBenchmark.class,
          OptimizedDecideBenchmark.class,
          RedisDecideBenchmark.class,
          OpenFeatureBenchmark.class,
          PeerComparisonBenchmark.class,
          PredictionBenchmark.class,
          VocabularyBenchmark.class);

  @Test
  void everyBenchmark_runsOneIterationWithoutFailing() throws RunnerException {
    // A real measurement elsewhere on the machine holds JMH's lock; a smoke run may go beside it.
    System.setProperty("jmh.ignoreLock", "true");
    Options options =
        new OptionsBuilder()
            .include(
                BENCHMARKS.stream()
                    .map(c -> c.getName().replace(".", "\\.") + "\\.")
                    .collect(Collectors.joining("|", "^(", ")")))
            .forks(0)
            .threads(1)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(50))
            .timeout(TimeValue.seconds(60))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    assertThat(results).hasSize(expectedRuns());
    assertThat(results)
        .allSatisfy(r -> assertThat(r.getPrimaryResult().getScore()).isPositive().isFinite());
  }

  /**
   * Each benchmark method times its parameter combinations, counted from the annotations: those of
   * its class and of the state classes it takes.
   */
  private static int expectedRuns() {
    int runs = 0;
    for (Class<?> c : BENCHMARKS) {
      Map<String, Method> methods = new TreeMap<>();
      Arrays.stream(c.getMethods())
          .filter(m -> m.isAnnotationPresent(Benchmark.class))
          .forEach(m -> methods.put(m.getName(), m));
      for (Method m : methods.values()) {
        int combinations = combinations(c);
        for (Class<?> state : m.getParameterTypes()) {
          if (state != c) {
            combinations *= combinations(state);
          }
        }
        runs += combinations;
      }
    }
    return runs;
  }

  private static int combinations(Class<?> c) {
    return Arrays.stream(c.getFields())
        .filter(f -> f.isAnnotationPresent(Param.class))
        .mapToInt(f -> f.getAnnotation(Param.class).value().length)
        .reduce(1, (a, b) -> a * b);
  }
}
