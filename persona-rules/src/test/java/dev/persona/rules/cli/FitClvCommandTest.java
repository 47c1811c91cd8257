package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import dev.persona.rules.RuleSetReader;
import dev.persona.ruleset.RuleSet;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code persona fit-clv}: the calibration summaries it builds, the maximum-likelihood fit, what it
 * prints, and what it refuses. The CDNOW reproduction is in {@link CdnowFitTest}.
 */
final class FitClvCommandTest {
  @TempDir Path dir;

  private static final BgNbd TRUE_BG = new BgNbd(0.5, 20, 0.8, 2.5);
  private static final GammaGamma TRUE_GG = new GammaGamma(6, 4, 60);
  private static final LocalDate START = LocalDate.of(2025, 1, 1);
  private static final LocalDate END = LocalDate.of(2025, 12, 31);

  @Test
  void theFit_isTheMaximumOfTheLikelihood_nearTheParametersTheOrdersWereDrawnFrom()
      throws Exception {
    Path orders = simulated(6000, 7);
    List<ClvFit.Summary> customers = history(orders).summaries(END, 1);

    ClvFit.BgNbdFit bg = ClvFit.bgNbd(customers);
    ClvFit.GammaGammaFit gg = ClvFit.gammaGamma(customers);

    double[] fitted = bgParams(bg.model());
    assertThat(fitted[0]).isCloseTo(TRUE_BG.r(), within(0.15 * TRUE_BG.r()));
    assertThat(fitted[1]).isCloseTo(TRUE_BG.alpha(), within(0.2 * TRUE_BG.alpha()));
    assertThat(fitted[2]).isCloseTo(TRUE_BG.a(), within(0.4 * TRUE_BG.a()));
    assertThat(fitted[3]).isCloseTo(TRUE_BG.b(), within(0.4 * TRUE_BG.b()));
    assertThat(gg.model().p()).isCloseTo(TRUE_GG.p(), within(0.2 * TRUE_GG.p()));
    assertThat(gg.model().meanOrderValue())
        .isCloseTo(TRUE_GG.meanOrderValue(), within(0.05 * TRUE_GG.meanOrderValue()));
    // the optimizer's point beats the truth and every nearby point
    assertThat(bg.logLikelihood())
        .isGreaterThanOrEqualTo(bgLogLikelihood(customers, bgParams(TRUE_BG)));
    for (int k = 0; k < 4; k++) {
      for (double step : new double[] {0.99, 1.01}) {
        double[] near = fitted.clone();
        near[k] *= step;
        assertThat(bgLogLikelihood(customers, near))
            .as("parameter %s x %s", k, step)
            .isLessThan(bg.logLikelihood());
      }
    }
    double[] ggFitted = {gg.model().p(), gg.model().q(), gg.model().gamma()};
    for (int k = 0; k < 3; k++) {
      for (double step : new double[] {0.99, 1.01}) {
        double[] near = ggFitted.clone();
        near[k] *= step;
        assertThat(ggLogLikelihood(customers, near))
            .as("parameter %s x %s", k, step)
            .isLessThan(gg.logLikelihood());
      }
    }
  }

  @Test
  void theSummary_countsDaysWithOrders_inPeriods_upToTheCalibrationEnd() throws Exception {
    Path orders =
        Cli.write(
            dir,
            "orders.csv",
            "order_id,amount,customer_id,date",
            "1,10.00,c1,2025-01-01",
            "2,5.00,c1,2025-01-01T18:30:00Z",
            "3,30.00,c1,2025-01-15",
            "4,50.00,c1,2025-01-29",
            "5,99.00,c1,2025-03-01",
            "6,20.00,\"c,2\",20250108",
            "7,1.00,c3,2025-02-20");

    List<ClvFit.Summary> s = history(orders).summaries(LocalDate.of(2025, 2, 12), 7);

    // c1: one order on Jan 1 (two of that day), repeats on Jan 15 and 29; the March order is after
    // the end; c2 ordered once; c3 first ordered after the end and is left out
    assertThat(s).containsExactly(new ClvFit.Summary(2, 4, 6, 40), new ClvFit.Summary(0, 0, 5, 0));
  }

  @Test
  void theCommand_printsTheParameters_andARuleFileSnippetThatLoads() throws Exception {
    Path orders = simulated(3000, 11);

    Cli run =
        Cli.run(
            "fit-clv", "--period", "week", "--calibration-end", "2025-12-31", orders.toString());

    assertThat(run.code()).as(run.all()).isZero();
    assertThat(run.out())
        .contains("calibration to 2025-12-31, in weeks: 3000 customers,")
        .containsPattern(
            "BG/NBD \\(3000 customers\\): r = [0-9.]+, alpha = [0-9.]+, a = [0-9.]+, b = [0-9.]+")
        .containsPattern(
            "Gamma-Gamma \\([0-9]+ repeat customers\\): p = [0-9.]+, q = [0-9.]+, gamma = [0-9.]+");
    String snippet = run.out().substring(run.out().indexOf("\"models\""));
    RuleSet rules =
        RuleSetReader.create().read("{\"version\": \"fitted\", " + snippet + "}", "snippet.json");
    List<ClvFit.Summary> weekly = history(orders).summaries(END, 7);
    BgNbd expected = ClvFit.bgNbd(weekly).model();
    assertThat(rules.prediction().period()).hasDays(7);
    assertThat(rules.prediction().bgNbd().r()).isCloseTo(expected.r(), within(1e-6 * expected.r()));
    assertThat(rules.prediction().bgNbd().alpha())
        .isCloseTo(expected.alpha(), within(1e-6 * expected.alpha()));
    assertThat(rules.prediction().gammaGamma()).isNotNull();
  }

  @Test
  void aBadLine_isReportedWithItsFileAndLine_andNothingIsFitted() throws Exception {
    Path badDate =
        Cli.write(dir, "a.csv", "customer_id,date,amount", "c1,2025-01-01,5", "c1,01/02/2025,5");
    Path badAmount = Cli.write(dir, "b.csv", "customer_id,date,amount", "c1,2025-01-01,-5");
    Path noColumn = Cli.write(dir, "c.csv", "customer,date,amount", "c1,2025-01-01,5");
    Path badCdnow = Cli.write(dir, "d.txt", " 00004 0001 19970101  2");

    assertThat(Cli.run("fit-clv", badDate.toString()).errLines())
        .containsExactly(badDate + ":3: not a date: '01/02/2025'; expected yyyy-MM-dd or yyyyMMdd");
    assertThat(Cli.run("fit-clv", badAmount.toString()).errLines())
        .containsExactly(badAmount + ":2: not an amount: '-5'; expected a number from 0 to 10^12");
    assertThat(Cli.run("fit-clv", noColumn.toString()).errLines())
        .containsExactly(
            noColumn
                + ":1: the CSV header has no column 'customer_id'; it needs customer_id, date and amount");
    Cli cdnow = Cli.run("fit-clv", badCdnow.toString());
    assertThat(cdnow.code()).isEqualTo(1);
    assertThat(cdnow.err()).startsWith(badCdnow + ":1: expected 5 fields");
    assertThat(cdnow.out()).isEmpty();
  }

  @Test
  void noRepeatOrders_orABadOption_isRefused() throws Exception {
    Path once =
        Cli.write(dir, "once.csv", "customer_id,date,amount", "c1,2025-01-01,5", "c2,2025-01-03,5");

    Cli noRepeat = Cli.run("fit-clv", once.toString());
    Cli month = Cli.run("fit-clv", "--period", "month", once.toString());
    Cli badEnd = Cli.run("fit-clv", "--calibration-end", "yesterday", once.toString());

    assertThat(noRepeat.code()).isEqualTo(1);
    assertThat(noRepeat.err()).contains("no customer ordered twice by 2025-01-03");
    assertThat(month.code()).isEqualTo(2);
    assertThat(month.err()).contains("--period must be day or week, not 'month'");
    assertThat(badEnd.code()).isEqualTo(2);
    assertThat(badEnd.err()).contains("--calibration-end: not a date: 'yesterday'");
  }

  static OrderHistory history(Path file) throws IOException, UserError {
    try (LineReader lines = new LineReader(new StringReader(Files.readString(file)), 1 << 16)) {
      return OrderHistory.read(lines, file.toString());
    }
  }

  private static double[] bgParams(BgNbd m) {
    return new double[] {m.r(), m.alpha(), m.a(), m.b()};
  }

  private static double bgLogLikelihood(List<ClvFit.Summary> customers, double[] params) {
    int n = customers.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = customers.get(i).x();
      tx[i] = customers.get(i).tx();
      t[i] = customers.get(i).t();
      w[i] = 1;
    }
    return ClvFit.bgNbdLogLikelihood(params, x, tx, t, w);
  }

  private static double ggLogLikelihood(List<ClvFit.Summary> customers, double[] params) {
    List<ClvFit.Summary> repeat =
        customers.stream().filter(c -> c.x() > 0 && c.meanValue() > 0).toList();
    int n = repeat.size();
    double[] x = new double[n];
    double[] m = new double[n];
    double[] w = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = repeat.get(i).x();
      m[i] = repeat.get(i).meanValue();
      w[i] = 1;
    }
    return ClvFit.gammaGammaLogLikelihood(params, x, m, w);
  }

  /**
   * Writes the orders of {@code customers} drawn from the BG/NBD and Gamma-Gamma models with {@link
   * #TRUE_BG} (in days) and {@link #TRUE_GG}, first orders spread over the first quarter, observed
   * to the end of the year.
   */
  private Path simulated(int customers, long seed) throws IOException {
    Random random = new Random(seed);
    List<String> lines = new ArrayList<>();
    lines.add("customer_id,date,amount");
    long horizon = END.toEpochDay();
    for (int c = 0; c < customers; c++) {
      double rate = gamma(random, TRUE_BG.r()) / TRUE_BG.alpha();
      double ga = gamma(random, TRUE_BG.a());
      double dropOut = ga / (ga + gamma(random, TRUE_BG.b()));
      double scale = gamma(random, TRUE_GG.q()) / TRUE_GG.gamma();
      double day = START.toEpochDay() + random.nextInt(90);
      boolean first = true;
      while (day < horizon + 1) {
        double value = gamma(random, TRUE_GG.p()) / scale;
        lines.add(
            "cust-"
                + c
                + ","
                + LocalDate.ofEpochDay((long) day)
                + ","
                + String.format(java.util.Locale.ROOT, "%.2f", value));
        // the model's customer may drop out after each repeat order, not after the first
        if (!first && random.nextDouble() < dropOut) {
          break;
        }
        first = false;
        day += -Math.log(1 - random.nextDouble()) / rate;
      }
    }
    return Files.write(dir.resolve("simulated-" + seed + ".csv"), lines);
  }

  /** Returns a Gamma(shape, 1) draw (Marsaglia and Tsang; boosted below shape 1). */
  private static double gamma(Random random, double shape) {
    if (shape < 1) {
      return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = Math.pow(1 + c * z, 3);
      if (v > 0 && Math.log(random.nextDouble()) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
