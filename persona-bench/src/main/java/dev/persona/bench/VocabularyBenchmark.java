package dev.persona.bench;

import dev.persona.config.Vocabulary;
import dev.persona.internal.vocabulary.VocabularyMatcher;
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
 * One event text matched against the default vocabulary, as the engine reads a {@code page_view}'s
 * path or a {@code product_view}'s category: {@code match} with the trie of the text's source, and,
 * for comparison, {@code substrings}, the fixed English substring tests the vocabulary replaced
 * ({@code sale}, {@code clearance}, {@code outlet}, {@code deals}, {@code gift}).
 *
 * <pre>
 * mvn -B -ntp -q package -DskipTests
 * java -jar persona-bench/target/benchmarks.jar VocabularyBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VocabularyBenchmark {
  /** The text: a category, an English path, a Polish sale path, a percent-encoded Chinese one. */
  @Param({"shoes", "/c/women/winter-boots", "/promocje/buty-zimowe", "/%E4%BF%83%E9%94%80/shouji"})
  public String text;

  private final VocabularyMatcher matcher = VocabularyMatcher.of(Vocabulary.defaults());
  private final char[] buffer = VocabularyMatcher.buffer(256);
  private Vocabulary.Source source;

  /** Reads a text that starts with a slash as a path, else as a category. */
  @Setup
  public void setUp() {
    source = text.startsWith("/") ? Vocabulary.Source.PATH : Vocabulary.Source.CATEGORY;
  }

  /** The vocabulary's uses the text matches. */
  @Benchmark
  public int match() {
    return matcher.match(source, text, buffer);
  }

  /** The substring tests of before, for comparison: sale or gift, as bits. */
  @Benchmark
  public int substrings() {
    String t = text;
    boolean sale =
        t.contains("sale")
            || t.contains("clearance")
            || t.contains("outlet")
            || t.contains("deals");
    return (sale ? 1 : 0) | (t.contains("gift") ? 2 : 0);
  }
}
