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
 * Rule sets that are well-formed but pathological in size. Each loads and compiles within a hang
 * guard of 30 s, or is refused with a clear {@link RuleSetException} with a position; the time and
 * the heap each took are printed.
 *
 * <p>The issue's shape (10,000 rules each testing {@code in} a list of 1,000 strings, 500 personas,
 * 200 placements of 50 variants) is about 80 MB of JSON, so it is refused by the 4 MiB document
 * limit before any parsing; the largest file of that shape which fits under the limit loads,
 * compiles into an engine and decides.
 */
class PathologicalRuleSetTest {
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

    m.report(
        "10,000 rules x in[1,000], 500 personas, 200 x 50 variants (" + size + " bytes): refused");
    assertThat(e.problems()).hasSize(1);
    RuleSetException.Problem p = e.problems().get(0);
    assertThat(p.line()).isEqualTo(1);
    assertThat(p.column()).isEqualTo(1);
    assertThat(p.message()).contains("rule files may be at most " + RuleFiles.MAX_BYTES);
  }

  @Test
  void theLargestFileOfThatShapeUnderTheLimit_loadsCompilesAndDecides() throws IOException {
    Path file = dir.resolve("largest.json");
    long size = write(file, 900, 400, 500, 200, 50);
    assertThat(size).isLessThanOrEqualTo(RuleFiles.MAX_BYTES);
    Measure m = Measure.start();

    PersonaEngine engine =
        assertTimeoutPreemptively(
            HANG_GUARD,
            () -> {
              RuleSet rules = READER.read(file);
              assertThat(rules.rules()).hasSize(900);
              assertThat(rules.personas()).hasSize(500);
              assertThat(rules.placements()).hasSize(200);
              return PersonaEngine.builder().ruleSet(rules).build();
            });
    Decision d = engine.decide(Visit.builder("s").query("utm_campaign", value(7, 3)).build());

    m.report(
        "900 rules x in[400], 500 personas, 200 x 50 variants ("
            + size
            + " bytes): loaded, compiled and decided");
    m.retained("the engine", engine);
    assertThat(d.isDefault()).isFalse();
    assertThat(d.persona()).contains("p7");
    assertThat(d.variant("pl0")).isPresent();
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
                            + RuleFiles.MAX_BYTES);
              });
    }
    assertThat(READER.read(at, "at-the-limit.json").version()).isEqualTo("v");
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

    void report(String what) {
      long millis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          Locale.ROOT,
          "[pathological] %s in %d ms, used heap +%d MiB%n",
          what,
          millis,
          (used() - heap) / (1024 * 1024));
    }

    void retained(String what, Object kept) {
      System.gc();
      System.out.printf(
          Locale.ROOT,
          "[pathological] %s retains ~%d MiB after a GC (%s)%n",
          what,
          (used() - heap) / (1024 * 1024),
          kept.getClass().getSimpleName());
    }

    private static long used() {
      Runtime rt = Runtime.getRuntime();
      return rt.totalMemory() - rt.freeMemory();
    }
  }
}
