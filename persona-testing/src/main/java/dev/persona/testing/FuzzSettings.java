package dev.persona.testing;

import java.util.Locale;

/**
 * Lets a run of the fuzz tests be made longer on demand: {@code -Dpersona.fuzz.tries=N} sets every
 * fuzz test's number of tries and {@code -Dpersona.fuzz.seed=S} its base seed (a decimal number, or
 * {@code random} for {@link System#nanoTime()}, fresh each run). Without them the tests keep their
 * fixed seed and tries, as CI runs them. Stateless.
 */
public final class FuzzSettings {
  /** The system property that overrides every fuzz test's number of tries. */
  public static final String TRIES_PROPERTY = "persona.fuzz.tries";

  /** The system property that overrides every fuzz test's base seed. */
  public static final String SEED_PROPERTY = "persona.fuzz.seed";

  private FuzzSettings() {}

  /** The number of tries to run: {@code -Dpersona.fuzz.tries} if set, else {@code defaultTries}. */
  public static int tries(int defaultTries) {
    String tries = System.getProperty(TRIES_PROPERTY, "").strip();
    if (tries.isEmpty()) {
      return defaultTries;
    }
    int n;
    try {
      n = Integer.parseInt(tries);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + TRIES_PROPERTY + " must be a positive number, not '" + tries + "'", e);
    }
    if (n < 1) {
      throw new IllegalArgumentException(
          "-D" + TRIES_PROPERTY + " must be a positive number, not " + n);
    }
    return n;
  }

  /**
   * The base seed to run with: {@code -Dpersona.fuzz.seed} if set ({@code random} for {@link
   * System#nanoTime()}), else {@code defaultSeed}. Try {@code i} uses seed {@code seed + i}.
   */
  public static long seed(long defaultSeed) {
    String seed = System.getProperty(SEED_PROPERTY, "").strip();
    if (seed.isEmpty()) {
      return defaultSeed;
    }
    if (seed.toLowerCase(Locale.ROOT).equals("random")) {
      return System.nanoTime();
    }
    try {
      return Long.parseLong(seed);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "-D" + SEED_PROPERTY + " must be a number or 'random', not '" + seed + "'", e);
    }
  }
}
