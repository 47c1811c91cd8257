package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device classification measured on the labelled User-Agent samples in the test resources {@code
 * user-agents/} next to this class (provenance and licenses in their README), with the bars of
 * issues 8 and 19. Each file is split into two halves by data line: the tuning half (even lines),
 * the only one whose strings were looked at when writing the rules and token tables, and the
 * held-out half (odd lines), whose strings never were. Figures are printed for the whole file and
 * for each half, and the bars hold on each half: a figure that held on the tuning half alone would
 * be overfitting. (The split stays the one of issue 8, when the rules were first tuned on even
 * lines: a new split, say by a hash of the string, would put lines already tuned on into the
 * held-out half.)
 */
final class DeviceAccuracyTest {

  private static final List<String> CLASSES = List.of("mobile", "tablet", "desktop", "bot");

  private static final String DIR = "user-agents/";

  /** The halves each bar holds on: tuning (1) and held-out (2). */
  private static final int[] HALVES = {1, 2};

  /**
   * The least accuracy per long-tail class on each half, issue 19's for tablets and desktops. The
   * held-out half measured 92.0% for tablets and 92.3% for desktops when these bars were set (the
   * tuning half 93.1% and 93.0%); see docs/signals.md.
   */
  private static final Map<String, Double> LONG_TAIL_BARS =
      Map.of("mobile", 0.98, "bot", 0.98, "tablet", 0.92, "desktop", 0.92);

  @BeforeAll
  static void findData() {
    for (String file : List.of("browsers.tsv", "bots.tsv", "longtail.tsv")) {
      if (DeviceAccuracyTest.class.getResource(DIR + file) == null) {
        fail("Labelled user agent data not found on the classpath: " + DIR + file);
      }
    }
  }

  @Test
  void browsersAreClassifiedByDeviceAndNotAsBots() throws IOException {
    double[] weight = new double[3];
    double[] correct = new double[3];
    int[] rows = new int[3];
    int[] bots = new int[3];
    List<String[]> data = rows(DIR + "browsers.tsv", 4);
    for (int i = 0; i < data.size(); i++) {
      String[] row = data.get(i);
      String got = UserAgentClassifier.device(row[3]);
      double w = Double.parseDouble(row[2]);
      for (int part : parts(i)) {
        weight[part] += w;
        correct[part] += row[0].equals(got) ? w : 0;
        rows[part]++;
        bots[part] += "bot".equals(got) ? 1 : 0;
      }
    }
    for (int part = 0; part < 3; part++) {
      System.out.printf(
          "device browsers.tsv %-8s: weighted accuracy %.2f%% on %d, called bot %.2f%% (%d)%n",
          partName(part),
          100 * correct[part] / weight[part],
          rows[part],
          100.0 * bots[part] / rows[part],
          bots[part]);
    }
    assertThat(rows[0]).as("browsers.tsv rows").isGreaterThan(1000);
    for (int part : HALVES) {
      assertThat(correct[part] / weight[part])
          .as("weighted device accuracy on browsers.tsv, %s half", partName(part))
          .isGreaterThanOrEqualTo(0.995);
    }
    assertThat(bots[0]).as("real browsers called bots").isZero();
  }

  @Test
  void botsAreRecognized() throws IOException {
    int[] rows = new int[3];
    int[] found = new int[3];
    List<String[]> data = rows(DIR + "bots.tsv", 2);
    for (int i = 0; i < data.size(); i++) {
      boolean bot = "bot".equals(UserAgentClassifier.device(data.get(i)[1]));
      for (int part : parts(i)) {
        rows[part]++;
        found[part] += bot ? 1 : 0;
      }
    }
    for (int part = 0; part < 3; part++) {
      System.out.printf(
          "device bots.tsv %-8s: bot recall %.2f%% on %d%n",
          partName(part), 100.0 * found[part] / rows[part], rows[part]);
    }
    assertThat(rows[0]).as("bots.tsv rows").isGreaterThan(500);
    for (int part : HALVES) {
      assertThat((double) found[part] / rows[part])
          .as("bot recall on bots.tsv, %s half", partName(part))
          .isGreaterThanOrEqualTo(0.98);
    }
  }

  @Test
  void theLongTailIsClassifiedInEveryClass() throws IOException {
    List<Map<String, int[]>> byPart = List.of(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
    List<String[]> data = rows(DIR + "longtail.tsv", 2);
    for (int i = 0; i < data.size(); i++) {
      String[] row = data.get(i);
      boolean right = row[0].equals(UserAgentClassifier.device(row[1]));
      for (int part : parts(i)) {
        int[] counts = byPart.get(part).computeIfAbsent(row[0], k -> new int[2]);
        counts[0]++;
        counts[1] += right ? 1 : 0;
      }
    }
    for (int part = 0; part < 3; part++) {
      int total = 0;
      int right = 0;
      StringBuilder classes = new StringBuilder();
      for (Map.Entry<String, int[]> e : byPart.get(part).entrySet()) {
        total += e.getValue()[0];
        right += e.getValue()[1];
        classes.append(
            String.format(
                ", %s %.2f%% (%d)",
                e.getKey(), 100.0 * e.getValue()[1] / e.getValue()[0], e.getValue()[0]));
      }
      System.out.printf(
          "device longtail.tsv %-8s: accuracy %.2f%% on %d%s%n",
          partName(part), 100.0 * right / total, total, classes);
    }
    assertThat(byPart.get(0)).as("classes in longtail.tsv").containsOnlyKeys(CLASSES);
    for (int part : HALVES) {
      Map<String, int[]> half = byPart.get(part);
      int total = half.values().stream().mapToInt(c -> c[0]).sum();
      int right = half.values().stream().mapToInt(c -> c[1]).sum();
      assertThat((double) right / total)
          .as("accuracy on longtail.tsv, %s half", partName(part))
          .isGreaterThanOrEqualTo(0.97);
      for (Map.Entry<String, Double> bar : LONG_TAIL_BARS.entrySet()) {
        int[] counts = half.get(bar.getKey());
        assertThat((double) counts[1] / counts[0])
            .as("accuracy on longtail.tsv class %s, %s half", bar.getKey(), partName(part))
            .isGreaterThanOrEqualTo(bar.getValue());
      }
    }
  }

  @Test
  void printsTheCostOfAnUnseenUserAgent() throws IOException {
    List<String> agents = new ArrayList<>();
    for (String[] row : rows(DIR + "longtail.tsv", 2)) {
      agents.add(row[1]);
    }
    for (String[] row : rows(DIR + "browsers.tsv", 4)) {
      agents.add(row[3]);
    }
    int sink = 0;
    long best = Long.MAX_VALUE;
    for (int round = 0; round < 8; round++) {
      long start = System.nanoTime();
      for (String agent : agents) {
        sink += UserAgentClassifier.classify(agent).device().length();
      }
      best = Math.min(best, System.nanoTime() - start);
    }
    System.out.printf(
        "device: uncached classification %.0f ns per User-Agent (best of 8 rounds over %d; a"
            + " rough figure, JMH ExtractBenchmark is the reference) [%d]%n",
        (double) best / agents.size(), agents.size(), sink);
    assertThat(sink).isPositive();
  }

  /** Every row counts in part 0 (all) and in part 1 (tuning: even data line) or 2 (held-out). */
  private static int[] parts(int index) {
    return new int[] {0, (index + 1) % 2 == 0 ? 1 : 2};
  }

  private static String partName(int part) {
    return switch (part) {
      case 0 -> "all";
      case 1 -> "tuning";
      default -> "held-out";
    };
  }

  private static List<String[]> rows(String resource, int columns) throws IOException {
    List<String[]> rows = new ArrayList<>();
    List<String> lines;
    try (InputStream in = DeviceAccuracyTest.class.getResourceAsStream(resource)) {
      assertThat(in).as(resource).isNotNull();
      lines =
          new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    }
    for (String line : lines.subList(1, lines.size())) {
      if (!line.isBlank()) {
        String[] row = line.split("\t", columns);
        assertThat(row).as("row of %s: %s", resource, line).hasSize(columns);
        rows.add(row);
      }
    }
    return rows;
  }
}
