package dev.persona.prediction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The series of 2F1 against its closed forms. */
final class HypergeometricTest {

  @Test
  void logarithm() {
    for (double z : new double[] {1e-6, 0.1, 0.5, 0.9, 0.99}) {
      double exact = -Math.log1p(-z) / z;
      assertThat(Hypergeometric.f(1, 1, 2, z))
          .as("z=%s", z)
          .isCloseTo(exact, within(1e-10 * exact));
    }
  }

  @Test
  void binomial() {
    for (double a : new double[] {-1.7, -0.21, 0.243, 3.5}) {
      for (double z : new double[] {0.05, 0.6, 0.95}) {
        double exact = Math.pow(1 - z, -a);
        assertThat(Hypergeometric.f(a, 2.5, 2.5, z))
            .as("a=%s z=%s", a, z)
            .isCloseTo(exact, within(1e-10 * exact));
      }
    }
  }

  @Test
  void polynomial_whenATermVanishes() {
    double b = 1.5;
    double c = 2.25;
    double z = 0.7;
    double exact = 1 - 2 * b * z / c + b * (b + 1) * z * z / (c * (c + 1));
    assertThat(Hypergeometric.f(-2, b, c, z)).isCloseTo(exact, within(1e-15));
  }

  @Test
  void outsideItsDomain_isNaN() {
    assertThat(Hypergeometric.f(1, 1, 2, 1)).isNaN();
    assertThat(Hypergeometric.f(1, 1, 2, -0.1)).isNaN();
    assertThat(Hypergeometric.f(1, 1, -3, 0.5)).isNaN();
    assertThat(Hypergeometric.f(1, 1, 2, Double.NaN)).isNaN();
  }
}
