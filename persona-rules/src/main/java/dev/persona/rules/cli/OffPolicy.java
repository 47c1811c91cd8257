package dev.persona.rules.cli;

/**
 * Off-policy estimates of a candidate policy's mean reward from logged choices, as Open Bandit
 * Pipeline defines them (Saito et al. 2020, {@code obp.ope.estimators}): inverse propensity
 * scoring, self-normalized IPS and doubly robust, with the reward model of DR the mean reward per
 * logged variant in the cell. Each has a 95% interval by the normal approximation (for SNIPS, the
 * delta method).
 *
 * <p>A {@link Cell} takes one logged unit at a time and keeps sums only, whose number depends on
 * the variants, not on the units: DR's terms are quadratic in the reward model, so their sums and
 * sums of squares are kept as the coefficients of that quadratic, and the model (fitted on the same
 * cell) is put in at the end. Cells add up, a placement's total being the sum of its personas'
 * cells, each with its own model. Not thread-safe.
 */
final class OffPolicy {
  /** The rewards estimated, in this order. */
  static final String[] METRICS = {"click", "add to cart", "purchase", "value"};

  /** The normal quantile of a two-sided 95% interval. */
  static final double Z = 1.959963984540054;

  private OffPolicy() {}

  /** The sums of one cell: a placement and a persona of the candidate. */
  static final class Cell {
    final int variants;
    long n;
    double sumW;
    double sumW2;
    double changed;
    double unsupported;
    final double[] target; // A[a]: sum of the candidate's probability of a
    final double[] weightOf; // B[b]: sum of w where b was logged
    final double[] w2Of; // sum of w^2 where b was logged
    final long[] count; // N[b]
    final double[][] pp; // P[a][b]: sum of pi(a) pi(b)
    final double[][] pw; // Q[a][b]: sum of pi(a) w where b was logged
    final double[][] reward; // per metric, S[b]: sum of r where b was logged
    final double[][] piWr; // per metric, R[a]: sum of pi(a) w r
    final double[][] w2r; // per metric, sum of w^2 r where b was logged
    final double[][] w2rr; // per metric, sum of w^2 r^2 where b was logged
    final double[] wr; // per metric, sum of w r
    final double[] r; // per metric, sum of r
    final double[] rr; // per metric, sum of r^2

    Cell(int variants) {
      this.variants = variants;
      int m = METRICS.length;
      target = new double[variants];
      weightOf = new double[variants];
      w2Of = new double[variants];
      count = new long[variants];
      pp = new double[variants][variants];
      pw = new double[variants][variants];
      reward = new double[m][variants];
      piWr = new double[m][variants];
      w2r = new double[m][variants];
      w2rr = new double[m][variants];
      wr = new double[m];
      r = new double[m];
      rr = new double[m];
    }

    /**
     * Adds one logged unit.
     *
     * @param logged the logged variant's index
     * @param propensity the logging policy's probability of it, in (0, 1]
     * @param pi the candidate's probability of each variant (summing to 1, or less where it is
     *     unknown); not kept
     * @param knownZero the share of the candidate's probability on variants the logging policy is
     *     known never to choose here
     * @param rewards the reward of each metric
     */
    void add(int logged, double propensity, double[] pi, double knownZero, double[] rewards) {
      double w = pi[logged] / propensity;
      n++;
      sumW += w;
      sumW2 += w * w;
      changed += 1 - pi[logged];
      unsupported += knownZero;
      weightOf[logged] += w;
      w2Of[logged] += w * w;
      count[logged]++;
      for (int a = 0; a < variants; a++) {
        double pa = pi[a];
        if (pa == 0) {
          continue;
        }
        target[a] += pa;
        pw[a][logged] += pa * w;
        for (int b = 0; b < variants; b++) {
          pp[a][b] += pa * pi[b];
        }
      }
      for (int k = 0; k < METRICS.length; k++) {
        double y = rewards[k];
        r[k] += y;
        rr[k] += y * y;
        reward[k][logged] += y;
        wr[k] += w * y;
        w2r[k][logged] += w * w * y;
        w2rr[k][logged] += w * w * y * y;
        if (y != 0) {
          for (int a = 0; a < variants; a++) {
            piWr[k][a] += pi[a] * w * y;
          }
        }
      }
    }

    /** Returns the reward model of DR for a metric: the mean reward of each logged variant. */
    double[] model(int metric) {
      double[] m = new double[variants];
      for (int b = 0; b < variants; b++) {
        m[b] = count[b] == 0 ? 0 : reward[metric][b] / count[b];
      }
      return m;
    }

    /** Returns the sum of DR's per-unit terms and the sum of their squares, for a metric. */
    double[] doublyRobust(int metric) {
      double[] m = model(metric);
      double sum = wr[metric];
      double sq = 0;
      for (int a = 0; a < variants; a++) {
        sum += m[a] * (target[a] - weightOf[a]);
        sq += 2 * m[a] * piWr[metric][a];
        sq += w2rr[metric][a] - 2 * m[a] * w2r[metric][a] + m[a] * m[a] * w2Of[a];
        for (int b = 0; b < variants; b++) {
          sq += m[a] * m[b] * (pp[a][b] - 2 * pw[a][b]);
        }
      }
      return new double[] {sum, sq};
    }
  }

  /** The estimates of one group of cells (one cell, or a placement's). */
  static final class Summary {
    long n;
    double sumW;
    double sumW2;
    double changed;
    double unsupported;
    final double[] r = new double[METRICS.length];
    final double[] rr = new double[METRICS.length];
    final double[] wr = new double[METRICS.length];
    final double[] w2rSum = new double[METRICS.length];
    final double[] w2rrSum = new double[METRICS.length];
    final double[] dr = new double[METRICS.length];
    final double[] drSq = new double[METRICS.length];

    void add(Cell c) {
      n += c.n;
      sumW += c.sumW;
      sumW2 += c.sumW2;
      changed += c.changed;
      unsupported += c.unsupported;
      for (int k = 0; k < METRICS.length; k++) {
        r[k] += c.r[k];
        rr[k] += c.rr[k];
        wr[k] += c.wr[k];
        for (int b = 0; b < c.variants; b++) {
          w2rSum[k] += c.w2r[k][b];
          w2rrSum[k] += c.w2rr[k][b];
        }
        double[] d = c.doublyRobust(k);
        dr[k] += d[0];
        drSq[k] += d[1];
      }
    }

    /** Returns the effective sample size of the weights, {@code (sum w)^2 / sum w^2}. */
    double effectiveSampleSize() {
      return sumW2 == 0 ? 0 : sumW * sumW / sumW2;
    }

    /** Returns the share of units whose logged variant the candidate would not choose. */
    double changedShare() {
      return n == 0 ? 0 : changed / n;
    }

    /** Returns the share of the candidate's choices the logging policy is known never to make. */
    double unsupportedShare() {
      return n == 0 ? 0 : unsupported / n;
    }

    /** Returns the logged policy's own mean reward with its interval. */
    Estimate logged(int k) {
      return mean(r[k], rr[k]);
    }

    Estimate ips(int k) {
      return mean(wr[k], w2rrSum[k]);
    }

    Estimate snips(int k) {
      if (sumW == 0) {
        return Estimate.NONE;
      }
      double v = wr[k] / sumW;
      double var = (w2rrSum[k] - 2 * v * w2rSum[k] + v * v * sumW2) / (sumW * sumW);
      return new Estimate(v, Z * Math.sqrt(Math.max(0, var)));
    }

    Estimate dr(int k) {
      return mean(dr[k], drSq[k]);
    }

    /** The mean of n terms from their sum and sum of squares, with its normal interval. */
    private Estimate mean(double sum, double sumSq) {
      if (n == 0) {
        return Estimate.NONE;
      }
      double mean = sum / n;
      double var = n < 2 ? 0 : Math.max(0, (sumSq - n * mean * mean) / (n - 1)) / n;
      return new Estimate(mean, Z * Math.sqrt(var));
    }
  }

  /**
   * An estimate and the half-width of its 95% interval.
   *
   * @param value the estimate; NaN when there is none
   * @param half the half-width
   */
  record Estimate(double value, double half) {
    static final Estimate NONE = new Estimate(Double.NaN, Double.NaN);

    boolean covers(double truth) {
      return Math.abs(truth - value) <= half;
    }
  }
}
