package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persona report} draws a decision log as one HTML page: a chart per view, each an inline
 * SVG with data points, names escaped, nothing fetched from elsewhere.
 */
final class ReportCommandTest {
  private static final Pattern SVG =
      Pattern.compile(
          "<svg class=\"chart\" data-chart=\"([^\"]+)\"[^>]*>(.*?)</svg>", Pattern.DOTALL);

  /** Every chart the generated log gives data for, with a candidate. */
  static final List<String> CHARTS =
      List.of(
          "persona-mix",
          "lifecycle",
          "stage",
          "variants-0",
          "variants-1",
          "variants-2",
          "holdout",
          "experiment-0-split",
          "experiment-0-rates",
          "bandit-0");

  @TempDir static Path dir;
  static Path rules;
  static Path log;

  @BeforeAll
  static void generate() throws IOException {
    rules = Cli.write(dir, "rules.json", ReportLogs.rules("report-test"));
    log = dir.resolve("decisions.jsonl");
    ReportLogs.write(rules, log, 6_000, 120, true);
  }

  /** Returns each chart's name and its SVG, in page order. */
  static List<String[]> charts(String html) {
    List<String[]> out = new ArrayList<>();
    Matcher m = SVG.matcher(html);
    while (m.find()) {
      out.add(new String[] {m.group(1), m.group(2)});
    }
    return out;
  }

  @Test
  void aGeneratedLog_drawsEveryChart_withDataPoints_andNothingExternal() throws IOException {
    Path out = dir.resolve("report.html");
    Path candidate = Cli.write(dir, "candidate.json", ReportLogs.rules("candidate"));

    Cli r =
        Cli.run("report", "--out", out.toString(), "--rules", candidate.toString(), log.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.outLines().get(0))
        .startsWith("persona report: wrote " + out + " (")
        .contains("from 6,000 decisions and ");
    String html = Files.readString(out);
    List<String[]> charts = charts(html);
    List<String> names = charts.stream().map(c -> c[0]).toList();
    assertThat(names).containsAll(CHARTS).contains("candidate-0");
    for (String[] c : charts) {
      assertThat(c[1]).as(c[0]).containsPattern("class=\"point\"");
    }
    // a stacked bar per day of the five, per persona
    assertThat(charts.get(0)[1]).contains("<title>2026-12-05: value_hunter ");
    assertThat(html)
        .contains("Sample-ratio check passed")
        .contains("<h2>The candidate " + candidate + "</h2>")
        .contains("persona evaluate: candidate candidate")
        .containsPattern(
            "home\\.hero: click rate \\S+ personalized against \\S+ in the holdout:"
                + " lift [+-]?\\d")
        .doesNotContain("<script")
        .doesNotContain("http://")
        .doesNotContain("https://")
        .doesNotContainPattern("(src|href)\\s*=");
  }

  @Test
  void namesFromTheLogsAndTheCommandLine_areEscaped() throws IOException {
    String hostile = "<script>alert(1)</script>";
    Path candidate =
        Cli.write(
            dir, "cand<script>alert(2)<&script>.json", ReportLogs.rules(hostile.replace("\"", "")));
    Path forged =
        Cli.write(
            dir,
            "forged.jsonl",
            "{\"v\":1,\"type\":\"decision\",\"id\":\"d1\",\"at\":\"2026-12-01T10:00:00Z\","
                + "\"rules\":\""
                + hostile
                + "\",\"holdout\":false,\"persona\":\""
                + hostile
                + "\",\"lifecycle\":\"<b onmouseover=alert(3)>\",\"stage\":\"\\\"'><img src=x>\","
                + "\"placements\":{\"<svg onload=alert(4)>\":{\"variant\":\""
                + hostile
                + "\",\"basis\":\"experiment\",\"experiment\":\""
                + hostile
                + "\",\"p\":0.5}}}",
            "{\"v\":1,\"type\":\"outcome\",\"decision\":\"d1\",\"at\":\"2026-12-01T10:00:01Z\","
                + "\"kind\":\"click\",\"placement\":\"<svg onload=alert(4)>\",\"variant\":\"x\"}");
    Path out = dir.resolve("escaped.html");

    Cli r =
        Cli.run(
            "report", "--out", out.toString(), "--rules", candidate.toString(), forged.toString());

    assertThat(r.code()).as(r.all()).isZero();
    String html = Files.readString(out);
    assertThat(html)
        .doesNotContain("<script")
        .doesNotContain("<b ")
        .doesNotContain("<img")
        .doesNotContain("<svg onload")
        .doesNotContainPattern("\"'>")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .contains("cand&lt;script&gt;alert(2)&lt;&amp;script&gt;.json")
        .contains("&lt;svg onload=alert(4)&gt;");
  }

  @Test
  void anExperimentThatLostAFifthOfAnArm_failsTheSampleRatioCheck_plainly() throws IOException {
    List<String> kept = new ArrayList<>();
    int seen = 0;
    for (String line : Files.readAllLines(log)) {
      if (line.contains("\"experiment\":\"banner-test\"")
          && line.contains("\"pdp.banner\":{\"variant\":\"b\"")
          && seen++ % 5 == 0) {
        continue; // a fifth of arm b's decisions never reached the log
      }
      kept.add(line);
    }
    Path lossy = Cli.write(dir, "lossy.jsonl", kept.toArray(String[]::new));
    Path out = dir.resolve("lossy.html");

    Cli r = Cli.run("report", "--out", out.toString(), lossy.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(Files.readString(out))
        .contains("<b>Sample-ratio check FAILED</b> (chi-square p = ")
        .contains("the arms did not get the traffic their shares promise")
        .doesNotContain("The candidate");
  }

  /** A line of a hand-written log. */
  private static String decision(int i, String basis, String variant, double p, String arm) {
    return "{\"v\":1,\"type\":\"decision\",\"id\":\"d"
        + i
        + "\",\"at\":\"2026-12-01T10:00:"
        + String.format(java.util.Locale.ROOT, "%02d", i)
        + "Z\",\"rules\":\"r1\",\"holdout\":"
        + basis.equals("holdout")
        + ",\"persona\":\"value_hunter\",\"lifecycle\":\"new_visitor\",\"stage\":\"awareness\","
        + "\"placements\":{\"home.hero\":{\"variant\":\""
        + variant
        + "\",\"basis\":\""
        + basis
        + "\",\"p\":"
        + p
        + "},\"pdp.banner\":{\"variant\":\""
        + arm
        + "\",\"basis\":\"experiment\",\"experiment\":\"banner-test\",\"p\":0.5}}}";
  }

  private static String outcome(int i, String kind, String placement) {
    return "{\"v\":1,\"type\":\"outcome\",\"decision\":\"d"
        + i
        + "\",\"at\":\"2026-12-01T10:01:00Z\",\"kind\":\""
        + kind
        + "\",\"placement\":\""
        + placement
        + "\",\"variant\":\"x\",\"value\":0.0}";
  }

  /**
   * 3 clicks in 10 personalized exposures, 1 in 10 of the holdout's, an experiment split 32 to 8:
   * the page gives the rates, their Beta(1 + k, 1 + n - k) intervals (scipy's beta.ppf), the lift,
   * and a failed sample-ratio check with its p-value (chi-square 14.4, 1 df).
   */
  @Test
  void aHandWrittenLog_givesItsRates_intervals_lift_andSampleRatioCheck() throws IOException {
    List<String> lines = new ArrayList<>();
    // every other decision shows the hero: 10 personalized, 10 holdout
    for (int i = 0; i < 40; i++) {
      boolean personalized = i < 20;
      lines.add(
          decision(
              i,
              personalized ? "persona" : "holdout",
              personalized ? "flash-sale" : "new-season",
              personalized ? 0.9 : 0.1,
              i < 32 ? "a" : "b"));
      if (i % 2 == 0) {
        lines.add(outcome(i, "exposure", "home.hero"));
        boolean click = personalized ? i < 6 : i == 20;
        if (click) {
          lines.add(outcome(i, "click", "home.hero"));
        }
      }
    }
    // and one two days later, without placements: the hours between are on the time axis
    lines.add(
        decision(99, "persona", "x", 1, "a")
            .replace("2026-12-01T10:00:99Z", "2026-12-03T10:00:00Z")
            .replaceAll("\"placements\":.*", "\"placements\":{}}"));
    Path hand = Cli.write(dir, "hand.jsonl", lines.toArray(String[]::new));
    Path out = dir.resolve("hand.html");

    Cli r = Cli.run("report", "--out", out.toString(), hand.toString());

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(Files.readString(out))
        .contains("30% [10.93%, 60.97%] · 10 exposures, 3 clicks")
        .contains("10% [2.28%, 41.28%] · 10 exposures, 1 click")
        .contains("home.hero: click rate 30% personalized against 10% in the holdout: lift +200%")
        .contains("<b>Sample-ratio check FAILED</b> (chi-square p = 0.000148)")
        .contains("32 assigned, expected 50%")
        .contains(">12-02 06:00</text>")
        .contains("<title>2026-12-03 10:00: value_hunter 100% (1 of 1 decisions)</title>");
  }

  @Test
  void withoutOut_itIsAUsageError() {
    Cli r = Cli.run("report", log.toString());

    assertThat(r.code()).isEqualTo(UserError.USAGE);
    assertThat(r.err()).startsWith("persona report: missing --out REPORT.html");
  }

  @Test
  void betaIntervalsAndTheChiSquareTest_matchKnownValues() {
    // Beta(1 + 5, 1 + 95): 2.5% and 97.5% quantiles 0.0221 and 0.1118 (scipy's beta.ppf)
    double[] ci = Bayes.interval(5, 100);
    assertThat(ci[0]).isBetween(0.0220, 0.0222);
    assertThat(ci[1]).isBetween(0.1117, 0.1119);
    // chi-square of 1 degree of freedom at 3.841: p 0.05; of 3 at 7.815: 0.05
    assertThat(Bayes.chiSquareSurvival(3.841459, 1)).isBetween(0.0499, 0.0501);
    assertThat(Bayes.chiSquareSurvival(7.814728, 3)).isBetween(0.0499, 0.0501);
    // 5,000 against 5,200 of an even split: chi-square 3.92, p 0.0477
    assertThat(Bayes.sampleRatioP(new long[] {5_000, 5_200}, new double[] {0.45, 0.45}))
        .isBetween(0.047, 0.0485);
  }
}
