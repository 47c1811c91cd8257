package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code persona fit-clv} on the CDNOW sample (2,357 customers who first bought in the first
 * quarter of 1997; from the MIT-licensed lifetimes library, {@code
 * lifetimes/datasets/CDNOW_sample.txt}) reproduces the published parameters of its 39-week
 * calibration period, each within 1%.
 *
 * <p>The sample is not in this repository: the test reads it from the system property {@code
 * persona.cdnow} (a path to {@code CDNOW_sample.txt}), else from the classpath ({@code
 * dev/persona/rules/cli/cdnow/CDNOW_sample.txt}), else from the project's reference data ({@code
 * ../shared/data/cdnow/CDNOW_sample.txt} beside the repository), and is skipped without it.
 */
final class CdnowFitTest {
  private static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
  private static Path sample;

  @BeforeAll
  static void findSample() throws Exception {
    String property = System.getProperty("persona.cdnow");
    if (property != null) {
      sample = Path.of(property);
    } else if (CdnowFitTest.class.getResource("cdnow/CDNOW_sample.txt") != null) {
      sample = Path.of(CdnowFitTest.class.getResource("cdnow/CDNOW_sample.txt").toURI());
    } else {
      sample = Path.of("..", "..", "shared", "data", "cdnow", "CDNOW_sample.txt");
    }
    Assumptions.assumeTrue(Files.isRegularFile(sample), "no CDNOW sample at " + sample);
  }

  private static List<ClvFit.Summary> weeks() throws Exception {
    return FitClvCommandTest.history(sample).summaries(CALIBRATION_END, 7);
  }

  @Test
  void theSummary_isTheOneThePapersFittedTo() throws Exception {
    List<ClvFit.Summary> customers = weeks();

    assertThat(customers).hasSize(2357);
    assertThat(customers.stream().filter(c -> c.x() > 0)).hasSize(946);
    // lifetimes' Quickstart: customer 1 has x = 2, tx = 30.43, T = 38.86 and a mean repeat order
    // of 22.35; customer 2 x = 1, tx = 1.71
    ClvFit.Summary first = customers.get(0);
    assertThat(first.x()).isEqualTo(2);
    assertThat(first.tx()).isCloseTo(30.43, within(0.005));
    assertThat(first.t()).isCloseTo(38.86, within(0.005));
    assertThat(first.meanValue()).isCloseTo(22.35, within(0.005));
    assertThat(customers.get(1).tx()).isCloseTo(1.71, within(0.005));
  }

  @Test
  void bgNbd_reproducesThePapersParameters() throws Exception {
    // Fader, Hardie and Lee (2005), "Counting your customers the easy way", section 5
    BgNbd m = ClvFit.bgNbd(weeks()).model();

    assertThat(m.r()).isCloseTo(0.243, within(0.01 * 0.243));
    assertThat(m.alpha()).isCloseTo(4.414, within(0.01 * 4.414));
    assertThat(m.a()).isCloseTo(0.793, within(0.01 * 0.793));
    assertThat(m.b()).isCloseTo(2.426, within(0.01 * 2.426));
    // and the fitted model's expectation of the paper's worked example
    assertThat(m.expectedOrders(39, 2, 30.43, 38.86)).isCloseTo(1.226, within(0.001));
  }

  @Test
  void gammaGamma_reproducesThePapersParameters() throws Exception {
    // Fader, Hardie and Lee (2005), "RFM and CLV", the 946 repeat customers; lifetimes prints
    // gamma as 15.45
    ClvFit.GammaGammaFit fit = ClvFit.gammaGamma(weeks());
    GammaGamma m = fit.model();

    assertThat(fit.customers()).isEqualTo(946);
    assertThat(m.p()).isCloseTo(6.25, within(0.01 * 6.25));
    assertThat(m.q()).isCloseTo(3.74, within(0.01 * 3.74));
    assertThat(m.gamma()).isCloseTo(15.44, within(0.01 * 15.44));
    // Hardie's spreadsheet (http://brucehardie.com/notes/025/): customer 1's expected order value
    assertThat(m.expectedOrderValue(2, 22.35)).isCloseTo(24.65, within(0.01));
  }

  @Test
  void theCommand_printsThem() throws Exception {
    Cli run =
        Cli.run(
            "fit-clv", "--period", "week", "--calibration-end", "1997-09-30", sample.toString());

    assertThat(run.code()).as(run.all()).isZero();
    assertThat(run.out())
        .contains("2357 customers, 946 with repeat orders")
        .containsPattern("BG/NBD \\(2357 customers\\): r = 0\\.24[23]\\d, alpha = 4\\.41\\d\\d")
        .containsPattern("Gamma-Gamma \\(946 repeat customers\\): p = 6\\.2\\d\\d\\d, q = 3\\.7\\d")
        .contains("\"period\": \"week\"");
  }
}
