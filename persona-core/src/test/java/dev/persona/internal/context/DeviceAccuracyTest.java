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
 * issue 8. Figures are printed for the whole files and separately for even and odd data lines:
 * rules were tuned looking at even lines only, so the odd lines are a held-out check against
 * overfitting.
 */
final class DeviceAccuracyTest {

  private static final List<String> CLASSES = List.of("mobile", "tablet", "desktop", "bot");

  private static final String DIR = "user-agents/";

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
          "device browsers.tsv %-5s: weighted accuracy %.2f%% on %d, called bot %.2f%% (%d)%n",
          partName(part),
          100 * correct[part] / weight[part],
          rows[part],
          100.0 * bots[part] / rows[part],
          bots[part]);
    }
    assertThat(rows[0]).as("browsers.tsv rows").isGreaterThan(1000);
    assertThat(correct[0] / weight[0])
        .as("weighted device accuracy on browsers.tsv")
        .isGreaterThanOrEqualTo(0.995);
    assertThat((double) bots[0] / rows[0])
        .as("share of real browsers called bots")
        .isLessThanOrEqualTo(0.002);
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
          "device bots.tsv %-5s: bot recall %.2f%% on %d%n",
          partName(part), 100.0 * found[part] / rows[part], rows[part]);
    }
    assertThat(rows[0]).as("bots.tsv rows").isGreaterThan(500);
    assertThat((double) found[0] / rows[0])
        .as("bot recall on bots.tsv")
        .isGreaterThanOrEqualTo(0.97);
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
          "device longtail.tsv %-5s: accuracy %.2f%% on %d%s%n",
          partName(part), 100.0 * right / total, total, classes);
    }
    Map<String, int[]> all = byPart.get(0);
    assertThat(all).as("classes in longtail.tsv").containsOnlyKeys(CLASSES);
    int total = all.values().stream().mapToInt(c -> c[0]).sum();
    int right = all.values().stream().mapToInt(c -> c[1]).sum();
    assertThat((double) right / total).as("accuracy on longtail.tsv").isGreaterThanOrEqualTo(0.95);
    for (String c : CLASSES) {
      assertThat((double) all.get(c)[1] / all.get(c)[0])
          .as("accuracy on longtail.tsv class %s", c)
          .isGreaterThanOrEqualTo(0.90);
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

  /** Every row counts in part 0 (all) and in part 1 (even data line) or 2 (odd data line). */
  private static int[] parts(int index) {
    return new int[] {0, (index + 1) % 2 == 0 ? 1 : 2};
  }

  private static String partName(int part) {
    return switch (part) {
      case 0 -> "all";
      case 1 -> "even";
      default -> "odd";
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
