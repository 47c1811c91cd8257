package dev.persona.rules.cli;

import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits the BG/NBD and Gamma-Gamma models to customers' calibration summaries by maximum likelihood:
 * Nelder-Mead on the logarithms of the parameters, which keeps them positive. The likelihoods are
 * those of Fader, Hardie and Lee (BG/NBD: "Counting Your Customers the Easy Way", 2005, section 7;
 * Gamma-Gamma: Fader and Hardie, "The Gamma-Gamma Model of Monetary Value", 2013, equation 1a).
 * Customers with the same summary are counted together. Thread-safe: pure functions.
 */
final class ClvFit {
  private ClvFit() {}

  /** One customer's calibration summary: x repeat orders, tₓ, T, and mean repeat-order value. */
  record Summary(int x, double tx, double t, double meanValue) {}

  /** A fitted BG/NBD model and its log-likelihood over the customers. */
  record BgNbdFit(BgNbd model, double logLikelihood, int customers) {}

  /** A fitted Gamma-Gamma model and its log-likelihood over the customers. */
  record GammaGammaFit(GammaGamma model, double logLikelihood, int customers) {}

  /** Fits BG/NBD to every customer's summary. */
  static BgNbdFit bgNbd(List<Summary> customers) {
    Map<List<Double>, Integer> groups = new LinkedHashMap<>();
    for (Summary s : customers) {
      groups.merge(List.of((double) s.x(), s.tx(), s.t()), 1, Integer::sum);
    }
    int n = groups.size();
    double[] x = new double[n];
    double[] tx = new double[n];
    double[] t = new double[n];
    double[] w = new double[n];
    int i = 0;
    for (Map.Entry<List<Double>, Integer> g : groups.entrySet()) {
      x[i] = g.getKey().get(0);
      tx[i] = g.getKey().get(1);
      t[i] = g.getKey().get(2);
      w[i] = g.getValue();
      i++;
    }
    double total = customers.size();
    double[] best =
        NelderMead.minimize(
            p -> -bgNbdLogLikelihood(exp(p), x, tx, t, w) / total, new double[] {0, 0, 0, 0});
    double[] v = exp(best);
    return new BgNbdFit(
        new BgNbd(v[0], v[1], v[2], v[3]), bgNbdLogLikelihood(v, x, tx, t, w), customers.size());
  }

  /**
   * Fits Gamma-Gamma to the customers with a repeat order of positive mean value, the only ones
   * whose values the model explains.
   */
  static GammaGammaFit gammaGamma(List<Summary> customers) {
    Map<List<Double>, Integer> groups = new LinkedHashMap<>();
    int count = 0;
    for (Summary s : customers) {
      if (s.x() > 0 && s.meanValue() > 0) {
        groups.merge(List.of((double) s.x(), s.meanValue()), 1, Integer::sum);
        count++;
      }
    }
    int n = groups.size();
    double[] x = new double[n];
    double[] m = new double[n];
    double[] w = new double[n];
    int i = 0;
    for (Map.Entry<List<Double>, Integer> g : groups.entrySet()) {
      x[i] = g.getKey().get(0);
      m[i] = g.getKey().get(1);
      w[i] = g.getValue();
      i++;
    }
    double total = count;
    double[] best =
        NelderMead.minimize(
            p -> -gammaGammaLogLikelihood(exp(p), x, m, w) / total, new double[] {0, 0, 0});
    double[] v = exp(best);
    return new GammaGammaFit(
        new GammaGamma(v[0], v[1], v[2]), gammaGammaLogLikelihood(v, x, m, w), count);
  }

  /** Returns the BG/NBD log-likelihood of (r, α, a, b) over customers weighted by {@code w}. */
  static double bgNbdLogLikelihood(
      double[] params, double[] x, double[] tx, double[] t, double[] w) {
    double r = params[0];
    double alpha = params[1];
    double a = params[2];
    double b = params[3];
    double lgR = logGamma(r);
    double lgB = logGamma(b);
    double lgAb = logGamma(a + b);
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double xi = x[i];
      double a1 = logGamma(r + xi) - lgR + r * Math.log(alpha);
      double a2 = lgAb + logGamma(b + xi) - lgB - logGamma(a + b + xi);
      double a3 = -(r + xi) * Math.log(alpha + t[i]);
      double ll;
      if (xi > 0) {
        double a4 = Math.log(a) - Math.log(b + xi - 1) - (r + xi) * Math.log(alpha + tx[i]);
        double top = Math.max(a3, a4);
        ll = a1 + a2 + top + Math.log(Math.exp(a3 - top) + Math.exp(a4 - top));
      } else {
        ll = a1 + a2 + a3;
      }
      sum += w[i] * ll;
    }
    return sum;
  }

  /**
   * Returns the Gamma-Gamma log-likelihood of (p, q, γ) over customers with x repeat orders of mean
   * value m, weighted by {@code w}.
   */
  static double gammaGammaLogLikelihood(double[] params, double[] x, double[] m, double[] w) {
    double p = params[0];
    double q = params[1];
    double gamma = params[2];
    double lgQ = logGamma(q);
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      double px = p * x[i];
      double ll =
          logGamma(px + q)
              - logGamma(px)
              - lgQ
              + q * Math.log(gamma)
              + (px - 1) * Math.log(m[i])
              + px * Math.log(x[i])
              - (px + q) * Math.log(x[i] * m[i] + gamma);
      sum += w[i] * ll;
    }
    return sum;
  }

  private static double[] exp(double[] logs) {
    double[] out = new double[logs.length];
    for (int i = 0; i < logs.length; i++) {
      out[i] = Math.exp(logs[i]);
    }
    return out;
  }

  private static final double[] LANCZOS = {
    0.9999999999998099,
    676.5203681218851,
    -1259.1392167224028,
    771.3234287776531,
    -176.6150291621406,
    12.507343278686905,
    -0.13857109526572012,
    9.984369578019572e-6,
    1.5056327351493116e-7
  };

  private static final double HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

  /** Returns ln Γ(z) for z > 0 by Lanczos' approximation (g = 7), relative error about 1e-15. */
  static double logGamma(double z) {
    if (!(z > 0)) {
      return Double.NaN;
    }
    if (z < 0.5) {
      // reflection: Γ(z) Γ(1 − z) = π / sin(πz)
      return Math.log(Math.PI / Math.sin(Math.PI * z)) - logGamma(1 - z);
    }
    double x = z - 1;
    double sum = LANCZOS[0];
    for (int k = 1; k < LANCZOS.length; k++) {
      sum += LANCZOS[k] / (x + k);
    }
    double t = x + 7.5;
    return HALF_LOG_TWO_PI + (x + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
