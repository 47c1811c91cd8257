package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class BetaTest {

  /** Both the exact draws and the normal approximation have the Beta's mean and spread. */
  @ParameterizedTest
  @CsvSource({"1, 1", "2, 30", "49, 500", "50, 50", "60, 2000", "400, 9000"})
  void samples_haveTheBetasMeanAndStandardDeviation(double a, double b) {
    SplittableRandom random = new SplittableRandom(7);
    int n = 200_000;
    double sum = 0;
    double squares = 0;
    for (int i = 0; i < n; i++) {
      double x = Beta.sample(a, b, random);
      assertThat(x).isBetween(0.0, 1.0);
      sum += x;
      squares += x * x;
    }
    double mean = sum / n;
    double sd = Math.sqrt(squares / n - mean * mean);
    double wantMean = a / (a + b);
    double wantSd = Math.sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)));

    assertThat(mean).isCloseTo(wantMean, within(5 * wantSd / Math.sqrt(n)));
    assertThat(sd).isCloseTo(wantSd, within(0.02 * wantSd));
  }
}
