package dev.persona.rules.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.rules.RuleSetReader;
import dev.persona.rules.internal.RuleFiles;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rule sets that are well-formed but pathological in size. Each loads and compiles within the
 * stated bounds, or is refused with a clear {@link RuleSetException} with a position; the time and
 * the heap each took are printed.
 *
 * <p>The bounds (stated in the README's limits section): a rule file within the 4 MiB document
 * limit reads, compiles and decides within {@link #MAX_SECONDS} seconds, and the compiled engine
 * retains at most {@link #MAX_RETAINED_MIB} MiB of heap. Both are about ten times what the largest
 * case takes on a developer machine, so that a loaded 2-core CI machine does not flake.
 *
 * <p>The issue's shape (10,000 rules each testing {@code in} a list of 1,000 strings, 500 personas,
 * 200 placements of 50 variants) is about 80 MB of JSON, so it is refused by the 4 MiB document
 * limit before any parsing; the largest file of that shape which fits under the limit loads,
 * compiles into an engine and decides, as do 5,000 small rules and one {@code in} list of 400,000
 * values.
 */
class PathologicalRuleSetTest {
  /** Read, compile and first decision of any rule file within the document limit. */
  static final int MAX_SECONDS = 10;

  /** Heap the compiled engine of any rule file within the document limit keeps reachable. */
  static final int MAX_RETAINED_MIB = 256;

  private static final Duration HANG_GUARD = Duration.ofSeconds(30);
  private static final RuleSetReader READER = RuleSetReader.create();

  @TempDir Path dir;

  @Test
  void theIssuesShape_isRefusedByTheDocumentLimit_withAPosition() throws IOException {
    Path file = dir.resolve("pathological.json");
    long size = write(file, 10_000, 1_000, 500, 200, 50);
    assertThat(size).isGreaterThan(RuleFiles.MAX_BYTES);
    Measure m = Measure.start();

    RuleSetException e =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> {
              try {
                READER.read(file);
              } catch (RuleSetException refused) {
                return refused;
              }
              throw new AssertionError("a " + size + "-byte rule file loaded");
            });

    long millis =
        m.report(
            "10,000 rules x in[1,000], 500 personas, 200 x 50 variants ("
                + size
                + " bytes): refused");
    assertThat(millis).as("milliseconds to refuse").isLessThan(MAX_SECONDS * 1_000L);
    assertThat(e.problems()).hasSize(1);
    RuleSetException.Problem p = e.problems().get(0);
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.column()).isEqualTo(1);
    assertThat(p.message()).contains("rule files may be at most " + RuleFiles.MAX_BYTES);
  }

  @Test
  void theLargestFileOfThatShapeUnderTheLimit_loadsCompilesAndDecidesWithinTheBounds()
      throws IOException {
    Path file = dir.resolve("largest.json");
    long size = write(file, 900, 400, 500, 200, 50);

    Decision d =
        loadCompileAndDecide(
            "900 rules x in[400], 500 personas, 200 x 50 variants",
            file,
            size,
            900,
            Visit.builder("s").query("utm_campaign", value(7, 3)).build());

    assertThat(d.persona()).isEqualTo("p7");
  }

  @Test
  void fiveThousandSmallRules_loadCompileAndDecideWithinTheBounds() throws IOException {
    Path file = dir.resolve("many-rules.json");
    long size = write(file, 5_000, 10, 500, 200, 50);

    Decision d =
        loadCompileAndDecide(
            "5,000 rules x in[10], 500 personas, 200 x 50 variants",
            file,
            size,
            5_000,
            Visit.builder("s").query("utm_campaign", value(4_321, 9)).build());

    assertThat(d.persona()).isEqualTo("p" + 4_321 % 500);
  }

  @Test
  void oneHugeInList_loadsCompilesAndDecidesWithinTheBounds() throws IOException {
    Path file = dir.resolve("huge-in.json");
    long size = write(file, 1, 400_000, 500, 200, 50);

    Decision d =
        loadCompileAndDecide(
            "1 rule x in[400,000], 500 personas, 200 x 50 variants",
            file,
            size,
            1,
            Visit.builder("s").query("utm_campaign", value(0, 399_999)).build());

    assertThat(d.persona()).isEqualTo("p0");
  }

  @Test
  void aFileJustOverTheDocumentLimit_isRefusedWithAPosition() throws IOException {
    String small = "{\"version\": \"v\"}";
    String over = small + " ".repeat(RuleFiles.MAX_BYTES + 1 - small.length());
    String at = small + " ".repeat(RuleFiles.MAX_BYTES - small.length());
    Path file = Files.writeString(dir.resolve("over.json"), over, StandardCharsets.UTF_8);

    for (Runnable read :
        new Runnable[] {() -> READER.read(file), () -> READER.read(over, "over.json")}) {
      assertThatThrownBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(5), read::run))
          .isInstanceOfSatisfying(
              RuleSetException.class,
              e -> {
                assertThat(e.problems()).hasSize(1);
                assertThat(e.problems().get(0).line()).isEqualTo(1);
                assertThat(e.problems().get(0).column()).isEqualTo(1);
                assertThat(e.problems().get(0).message())
                    .isEqualTo(
                        "the file is "
                            + (RuleFiles.MAX_BYTES + 1)
                            + " bytes; rule files may be at most "
                            + RuleFiles.MAX_BYTES
                            + " bytes");
              });
    }
    assertThat(READER.read(at, "at-the-limit.json").version()).isEqualTo("v");
  }

  @Test
  void aFileWellOverTheLimit_isRefusedWithItsRealSize() throws IOException {
    String small = "{\"version\": \"v\"}";
    Path file =
        Files.writeString(
            dir.resolve("big.json"),
            small + " ".repeat(5_988_977 - small.length()),
            StandardCharsets.UTF_8);

    assertThatThrownBy(() -> READER.read(file))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems().get(0).message())
                    .isEqualTo(
                        "the file is 5988977 bytes; rule files may be at most "
                            + RuleFiles.MAX_BYTES
                            + " bytes"));
  }

  /**
   * Reads, compiles and decides once, and checks the stated bounds: within {@link #MAX_SECONDS} in
   * all, the engine retaining at most {@link #MAX_RETAINED_MIB} MiB; returns the decision, which is
   * not a default one and chose a variant of the first placement.
   */
  private static Decision loadCompileAndDecide(
      String shape, Path file, long size, int rules, Visit visit) {
    assertThat(size).isLessThanOrEqualTo(RuleFiles.MAX_BYTES);
    Measure m = Measure.start();

    PersonaEngine engine =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> {
              RuleSet read = READER.read(file);
              assertThat(read.rules()).hasSize(rules);
              return PersonaEngine.builder().ruleSet(read).build();
            });
    Decision d = engine.decide(visit);
    long millis = m.report(shape + " (" + size + " bytes): loaded, compiled and decided");
    long retainedMib = m.retained("the engine", engine);

    assertThat(millis)
        .as("milliseconds to read, compile and decide")
        .isLessThan(MAX_SECONDS * 1_000L);
    assertThat(retainedMib).as("MiB the engine retains").isLessThanOrEqualTo(MAX_RETAINED_MIB);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.variant("pl0")).isNotNull();
    return d;
  }

  /** Writes a rule file of the given shape, streaming, and returns its size in bytes. */
  private static long write(
      Path file, int rules, int inValues, int personas, int placements, int variants)
      throws IOException {
    try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
      w.write("{\"version\": \"pathological\",\n\"personas\": [");
      for (int i = 0; i < personas; i++) {
        w.write(i == 0 ? "\n" : ",\n");
        w.write("{\"id\": \"p" + i + "\", \"name\": \"P" + i + "\", \"threshold\": 0.5}");
      }
      w.write("],\n\"rules\": [");
      for (int r = 0; r < rules; r++) {
        w.write(r == 0 ? "\n" : ",\n");
        w.write("{\"id\": \"r" + r + "\", \"add\": {\"p" + r % personas + "\": 0.6},");
        w.write(" \"when\": {\"signal\": \"campaign\", \"in\": [");
        for (int i = 0; i < inValues; i++) {
          w.write(i == 0 ? "\"" : ",\"");
          w.write(value(r, i));
          w.write('"');
        }
        w.write("]}}");
      }
      w.write("],\n\"placements\": [");
      for (int p = 0; p < placements; p++) {
        w.write(p == 0 ? "\n" : ",\n");
        w.write("{\"id\": \"pl" + p + "\", \"variants\": [");
        for (int v = 0; v < variants; v++) {
          w.write(v == 0 ? "" : ",");
          w.write(
              v == 0
                  ? "{\"id\": \"d\", \"default\": true}"
                  : "{\"id\": \"v"
                      + v
                      + "\", \"targets\": [\"p"
                      + (p * 50 + v) % personas
                      + "\"]}");
        }
        w.write("]}");
      }
      w.write("]}\n");
    }
    return Files.size(file);
  }

  /** The {@code i}th value of rule {@code r}'s {@code in} list: short, and mostly distinct. */
  private static String value(int r, int i) {
    return Integer.toString(r * 1_000 + i, 36);
  }

  /**
   * Wall time and heap of a step, approximately: the used heap (total minus free) grown since the
   * start without a collection in between (a lower bound of what it allocated, when no collection
   * ran), and what stays reachable after one.
   */
  private static final class Measure {
    private final long heap;
    private final long start;

    private Measure() {
      System.gc();
      heap = used();
      start = System.nanoTime();
    }

    static Measure start() {
      return new Measure();
    }

    /** Prints and returns the milliseconds since the start. */
    long report(String what) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "[pathological] %s in %d ms, used heap +%d MiB%n",
          what,
          millis,
          (used() - heap) / (1024 * 1024));
      return millis;
    }

    /** Prints and returns the MiB of used heap grown since the start, after a GC. */
    long retained(String what, Object kept) {
      System.gc();
      long mib = (used() - heap) / (1024 * 1024);
      System.out.printf(
          Locale.ROOT,
          "[pathological] %s retains ~%d MiB after a GC (%s)%n",
          what,
          mib,
          kept.getClass().getSimpleName());
      return mib;
    }

    private static long used() {
      Runtime rt = Runtime.getRuntime();
      return rt.totalMemory() - rt.freeMemory();
    }
  }
}
