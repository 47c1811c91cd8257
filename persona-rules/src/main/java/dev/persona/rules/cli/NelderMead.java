package dev.persona.rules.cli;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * Minimizes a function of a few variables by the Nelder-Mead simplex method, restarted from its
 * best point until a restart improves nothing, so that a simplex that collapsed early does not stop
 * short of the minimum. Not thread-safe; for one fit at a time.
 */
final class NelderMead {
  private static final int MAX_EVALUATIONS = 200_000;
  private static final int MAX_RESTARTS = 20;

  /** The value spread across the simplex below which it has converged. */
  private static final double VALUE_TOLERANCE = 1e-13;

  /** The coordinate spread across the simplex below which it has converged. */
  private static final double POINT_TOLERANCE = 1e-10;

  private final ToDoubleFunction<double[]> f;
  private int evaluations;

  private NelderMead(ToDoubleFunction<double[]> f) {
    this.f = f;
  }

  /**
   * Returns the point at which {@code f} is least, searching from {@code start}; a value that is
   * NaN counts as infinitely large.
   */
  static double[] minimize(ToDoubleFunction<double[]> f, double[] start) {
    NelderMead m = new NelderMead(f);
    double[] best = start.clone();
    double value = m.value(best);
    for (int restart = 0; restart < MAX_RESTARTS && m.evaluations < MAX_EVALUATIONS; restart++) {
      double[] next = m.run(best);
      double nextValue = m.value(next);
      boolean improved = nextValue < value - VALUE_TOLERANCE * (1 + Math.abs(value));
      if (nextValue <= value) {
        best = next;
        value = nextValue;
      }
      if (!improved && restart > 0) {
        break;
      }
    }
    return best;
  }

  private double value(double[] x) {
    evaluations++;
    double v = f.applyAsDouble(x);
    return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
  }

  /** One run of the simplex method from a simplex around {@code start}. */
  private double[] run(double[] start) {
    int n = start.length;
    double[][] points = new double[n + 1][];
    double[] values = new double[n + 1];
    points[0] = start.clone();
    for (int i = 0; i < n; i++) {
      double[] p = start.clone();
      p[i] += 0.5;
      points[i + 1] = p;
    }
    for (int i = 0; i <= n; i++) {
      values[i] = value(points[i]);
    }
    Integer[] order = new Integer[n + 1];
    while (evaluations < MAX_EVALUATIONS) {
      for (int i = 0; i <= n; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (i, j) -> Double.compare(values[i], values[j]));
      double[][] sortedPoints = new double[n + 1][];
      double[] sortedValues = new double[n + 1];
      for (int i = 0; i <= n; i++) {
        sortedPoints[i] = points[order[i]];
        sortedValues[i] = values[order[i]];
      }
      System.arraycopy(sortedPoints, 0, points, 0, n + 1);
      System.arraycopy(sortedValues, 0, values, 0, n + 1);
      if (converged(points, values)) {
        break;
      }
      double[] centroid = new double[n];
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < n; k++) {
          centroid[k] += points[i][k] / n;
        }
      }
      double[] reflected = along(centroid, points[n], -1);
      double fr = value(reflected);
      if (fr < values[0]) {
        double[] expanded = along(centroid, points[n], -2);
        double fe = value(expanded);
        if (fe < fr) {
          points[n] = expanded;
          values[n] = fe;
        } else {
          points[n] = reflected;
          values[n] = fr;
        }
      } else if (fr < values[n - 1]) {
        points[n] = reflected;
        values[n] = fr;
      } else {
        boolean outside = fr < values[n];
        double[] contracted = along(centroid, outside ? reflected : points[n], 0.5);
        double fc = value(contracted);
        if (fc < (outside ? fr : values[n])) {
          points[n] = contracted;
          values[n] = fc;
        } else {
          for (int i = 1; i <= n; i++) {
            points[i] = along(points[0], points[i], 0.5);
            values[i] = value(points[i]);
          }
        }
      }
    }
    return points[0];
  }

  /** Returns c + t (p − c). */
  private static double[] along(double[] c, double[] p, double t) {
    double[] out = new double[c.length];
    for (int k = 0; k < c.length; k++) {
      out[k] = c[k] + t * (p[k] - c[k]);
    }
    return out;
  }

  private static boolean converged(double[][] points, double[] values) {
    int n = points.length - 1;
    if (Math.abs(values[n] - values[0]) > VALUE_TOLERANCE * (1 + Math.abs(values[0]))) {
      return false;
    }
    for (int i = 1; i <= n; i++) {
      for (int k = 0; k < n; k++) {
        if (Math.abs(points[i][k] - points[0][k]) > POINT_TOLERANCE) {
          return false;
        }
      }
    }
    return true;
  }
}
