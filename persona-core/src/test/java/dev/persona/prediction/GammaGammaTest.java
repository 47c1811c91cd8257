package dev.persona.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The Gamma-Gamma model against the worked example of Fader and Hardie's note on it. */
final class GammaGammaTest {
  /** Fader, Hardie and Lee (2005), "RFM and CLV": CDNOW's 946 repeat customers. */
  private static final GammaGamma CDNOW = new GammaGamma(6.25, 3.74, 15.44);

  @Test
  void expectedOrderValue_ofHardiesSpreadsheet() {
    // http://brucehardie.com/notes/025/ (its spreadsheet), as lifetimes' tests quote it for the
    // first CDNOW customers: (x, mean of the repeat orders) -> conditional expected order value;
    // the spreadsheet's parameters are unrounded, hence within 0.1 as lifetimes checks too
    assertThat(CDNOW.expectedOrderValue(2, 22.35)).isCloseTo(24.65, within(0.1));
    assertThat(CDNOW.expectedOrderValue(1, 11.77)).isCloseTo(18.91, within(0.1));
    assertThat(CDNOW.expectedOrderValue(0, 0)).isCloseTo(35.17, within(0.1));
    assertThat(CDNOW.expectedOrderValue(7, 73.74)).isCloseTo(71.46, within(0.1));
    assertThat(CDNOW.expectedOrderValue(2, 25.55)).isCloseTo(27.28, within(0.1));
  }

  @Test
  void expectedOrderValue_leansToTheCustomersOwnMean_theMoreOrdersThereAre() {
    double population = CDNOW.meanOrderValue();
    assertThat(population).isCloseTo(15.44 * 6.25 / 2.74, within(1e-12));
    double before = population;
    for (int x = 1; x < 200; x *= 2) {
      double e = CDNOW.expectedOrderValue(x, 100);
      assertThat(e).isGreaterThan(before).isLessThan(100);
      before = e;
    }
    assertThat(CDNOW.expectedOrderValue(10_000, 100)).isCloseTo(100, within(0.1));
    assertThat(CDNOW.expectedOrderValue(0, 1_000)).isEqualTo(population);
  }

  @Test
  void aHistoryThatIsNone_predictsNothing() {
    assertThat(CDNOW.expectedOrderValue(-1, 10)).isNaN();
    assertThat(CDNOW.expectedOrderValue(2, -10)).isNaN();
    assertThat(CDNOW.expectedOrderValue(2, Double.NaN)).isNaN();
    assertThat(CDNOW.expectedOrderValue(2, Double.POSITIVE_INFINITY)).isNaN();
  }

  @Test
  void parameters_arePositive_andTheMeanFinite() {
    assertThatThrownBy(() -> new GammaGamma(0, 3, 1)).hasMessageContaining("p must be a positive");
    assertThatThrownBy(() -> new GammaGamma(1, 0.9, 1)).hasMessageContaining("q must be greater");
    assertThatThrownBy(() -> new GammaGamma(1, 3, Double.NaN)).hasMessageContaining("gamma");
  }
}
