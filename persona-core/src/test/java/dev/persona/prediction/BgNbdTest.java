package dev.persona.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The BG/NBD model against the published numbers of its paper and of Hardie's spreadsheet, with the
 * parameters the paper fitted to CDNOW's 2,357 customers in weeks.
 */
final class BgNbdTest {
  /** Fader, Hardie and Lee (2005), CDNOW, 39-week calibration period. */
  private static final BgNbd CDNOW = new BgNbd(0.243, 4.414, 0.793, 2.426);

  @Test
  void expectedOrders_ofThePapersWorkedExample() {
    // "Counting your customers the easy way", section 5: a customer with x = 2, tx = 30.43,
    // T = 38.86 is expected to make 1.226 purchases in the next 39 weeks
    assertThat(CDNOW.expectedOrders(39, 2, 30.43, 38.86)).isCloseTo(1.226, within(0.001));
  }

  @Test
  void expectedOrders_ofACustomerJustAcquired_areThePopulationsExpectation() {
    // Hardie's BG/NBD spreadsheet, E[X(t)] (equation 9), as lifetimes' tests quote it, with the
    // parameters to six digits as lifetimes' Quickstart prints them (the four-digit ones of the
    // paper give 1.0420 for 1.0405); a customer whose first order is now (x = tx = T = 0) is a
    // randomly chosen one of equation 9
    BgNbd fitted = new BgNbd(0.242593, 4.413532, 0.792886, 2.425752);
    double[] weeks = {0.1429, 1.0, 3.00, 31.8571, 32.00, 78.00};
    double[] expected = {0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576};
    for (int i = 0; i < weeks.length; i++) {
      assertThat(fitted.expectedOrders(weeks[i], 0, 0, 0))
          .as("E[X(%s)]", weeks[i])
          .isCloseTo(expected[i], within(0.0005));
    }
  }

  @Test
  void expectedOrders_throughEulersTransformation_equalEquationTenAsPrinted() {
    for (double x : new double[] {0, 1, 2, 7, 30}) {
      for (double t : new double[] {5, 38.86, 80}) {
        for (double tx : new double[] {0, t / 3, t}) {
          for (double horizon : new double[] {1, 39, 104}) {
            if (x == 0 && tx > 0) {
              continue;
            }
            double printed = equationTen(CDNOW, horizon, x, tx, t);
            assertThat(CDNOW.expectedOrders(horizon, x, tx, t))
                .as("x=%s tx=%s T=%s t=%s", x, tx, t, horizon)
                .isCloseTo(printed, within(1e-9 * Math.max(1, printed)));
          }
        }
      }
    }
  }

  @Test
  void expectedOrders_growWithTheHorizon_andAreNoneForNone() {
    double before = 0;
    for (double horizon = 1; horizon < 500; horizon *= 1.7) {
      double e = CDNOW.expectedOrders(horizon, 3, 20, 38);
      assertThat(e).isGreaterThan(before);
      before = e;
    }
    assertThat(CDNOW.expectedOrders(0, 3, 20, 38)).isZero();
  }

  @Test
  void expectedOrders_ofAParameterANearOne_areContinuous() {
    double below = new BgNbd(0.243, 4.414, 1 - 1e-4, 2.426).expectedOrders(39, 2, 30.43, 38.86);
    double at = new BgNbd(0.243, 4.414, 1, 2.426).expectedOrders(39, 2, 30.43, 38.86);
    double above = new BgNbd(0.243, 4.414, 1 + 1e-4, 2.426).expectedOrders(39, 2, 30.43, 38.86);
    assertThat(at).isFinite().isCloseTo((below + above) / 2, within(1e-3));
  }

  @Test
  void probabilityAlive_isOneBeforeARepeatOrder_andFallsTheLongerTheSilence() {
    assertThat(CDNOW.probabilityAlive(0, 0, 38.86)).isEqualTo(1);
    double before = 1;
    for (double t = 31; t < 200; t += 10) {
      double alive = CDNOW.probabilityAlive(4, 30, t);
      assertThat(alive).isLessThan(before).isPositive();
      before = alive;
    }
    // a customer who has just ordered again is far more likely alive than one silent since
    assertThat(CDNOW.probabilityAlive(4, 38, 38)).isGreaterThan(0.7);
    assertThat(CDNOW.probabilityAlive(4, 5, 38)).isLessThan(0.2);
  }

  @Test
  void probabilityAlive_isTheShareOfExpectedOrdersOfACustomerKnownAlive() {
    // equation 10's denominator is 1 / P(alive): E[Y(t) | alive] P(alive) = E[Y(t)]
    double x = 2;
    double tx = 30.43;
    double t = 38.86;
    double alive = CDNOW.probabilityAlive(x, tx, t);
    double ifAlive = equationTen(CDNOW, 39, x, tx, t) * (1 + odds(CDNOW, x, tx, t));
    assertThat(CDNOW.expectedOrders(39, x, tx, t)).isCloseTo(ifAlive * alive, within(1e-9));
  }

  @Test
  void aHistoryThatIsNone_predictsNothing() {
    assertThat(CDNOW.probabilityAlive(-1, 0, 1)).isNaN();
    assertThat(CDNOW.probabilityAlive(2, 5, 4)).isNaN();
    assertThat(CDNOW.expectedOrders(10, 2, 5, Double.POSITIVE_INFINITY)).isNaN();
    assertThat(CDNOW.expectedOrders(-1, 2, 3, 4)).isNaN();
    assertThat(CDNOW.expectedOrders(Double.NaN, 2, 3, 4)).isNaN();
  }

  @Test
  void parameters_arePositiveAndFinite() {
    assertThatThrownBy(() -> new BgNbd(0, 1, 1, 1)).hasMessageContaining("r must be a positive");
    assertThatThrownBy(() -> new BgNbd(1, Double.NaN, 1, 1)).hasMessageContaining("alpha");
    assertThatThrownBy(() -> new BgNbd(1, 1, Double.POSITIVE_INFINITY, 1))
        .hasMessageContaining("a");
    assertThatThrownBy(() -> new BgNbd(1, 1, 1, -2)).hasMessageContaining("b must be a positive");
  }

  /** Equation 10 as printed, with 2F1(r+x, b+x; a+b+x−1; z) summed term by term. */
  private static double equationTen(BgNbd m, double horizon, double x, double tx, double t) {
    double z = horizon / (m.alpha() + t + horizon);
    double f = series(m.r() + x, m.b() + x, m.a() + m.b() + x - 1, z);
    double first = (m.a() + m.b() + x - 1) / (m.a() - 1);
    double second = 1 - Math.pow((m.alpha() + t) / (m.alpha() + t + horizon), m.r() + x) * f;
    return first * second / (1 + odds(m, x, tx, t));
  }

  private static double odds(BgNbd m, double x, double tx, double t) {
    return x == 0
        ? 0
        : m.a() / (m.b() + x - 1) * Math.pow((m.alpha() + t) / (m.alpha() + tx), m.r() + x);
  }

  private static double series(double a, double b, double c, double z) {
    double sum = 1;
    double term = 1;
    for (int n = 0; n < 100_000; n++) {
      term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
      sum += term;
      if (Math.abs(term) < 1e-17 * sum) {
        break;
      }
    }
    return sum;
  }
}
