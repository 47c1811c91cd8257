package dev.persona.config;

import dev.persona.VariantChoice;
import dev.persona.spi.StatsStore;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an engine measures and learns: the personalization holdout, QA overrides, where outcome
 * statistics are kept and how fresh optimized placements read them, and how long after an exposure
 * a purchase is credited to it.
 *
 * <pre>{@code
 * ExperimentConfig experiments = ExperimentConfig.builder()
 *     .holdout(0.05)
 *     .statsStore(redisStats)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.3.0
 */
public final class ExperimentConfig {
  /** The most combinations of placement, variant and segment the default stats store keeps. */
  public static final int DEFAULT_MAX_STATS = 100_000;

  private static final ExperimentConfig DEFAULTS = builder().build();

  private final double holdout;
  private final @Nullable String forcedVariants;
  private final @Nullable StatsStore statsStore;
  private final Duration statsRefresh;
  private final Duration attributionWindow;
  private final @Nullable Long randomSeed;

  private ExperimentConfig(Builder b) {
    this.holdout = b.holdout;
    this.forcedVariants = b.forcedVariants;
    this.statsStore = b.statsStore;
    this.statsRefresh = b.statsRefresh;
    this.attributionWindow = b.attributionWindow;
    this.randomSeed = b.randomSeed;
  }

  /**
   * Returns the defaults: no holdout, no QA overrides, statistics in memory read at most a second
   * old, and a 30-minute attribution window.
   *
   * @return the default experiment configuration
   */
  public static ExperimentConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the share of visitors in the personalization holdout.
   *
   * @return at least 0 and below 1; 0 when there is no holdout
   */
  public double holdout() {
    return holdout;
  }

  /**
   * Returns the name of the query parameter and header that pin variants for QA.
   *
   * @return the name, or null when QA overrides are off
   */
  public @Nullable String forcedVariants() {
    return forcedVariants;
  }

  /**
   * Returns the store of your own for outcome statistics.
   *
   * @return the store, or null when the engine keeps statistics in memory
   */
  public @Nullable StatsStore statsStore() {
    return statsStore;
  }

  /**
   * Returns how old the statistics that optimized placements choose by may be.
   *
   * @return a duration, zero or more
   */
  public Duration statsRefresh() {
    return statsRefresh;
  }

  /**
   * Returns how long after an exposure a purchase or add to cart of the same session is credited to
   * it.
   *
   * @return a duration; zero when attribution is off
   */
  public Duration attributionWindow() {
    return attributionWindow;
  }

  /**
   * Returns the seed of the one random source optimized placements draw from.
   *
   * @return the seed, or null when each thread draws from its own source
   */
  public @Nullable Long randomSeed() {
    return randomSeed;
  }

  @Override
  public String toString() {
    return "ExperimentConfig{holdout="
        + holdout
        + ", forcedVariants="
        + (forcedVariants != null)
        + ", statsStore="
        + (statsStore == null ? "inMemory" : statsStore.getClass().getSimpleName())
        + ", statsRefresh="
        + statsRefresh
        + ", attributionWindow="
        + attributionWindow
        + ", seeded="
        + (randomSeed != null)
        + "}";
  }

  /**
   * Builds an {@link ExperimentConfig}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private double holdout;
    private @Nullable String forcedVariants;
    private @Nullable StatsStore statsStore;
    private Duration statsRefresh = Duration.ofSeconds(1);
    private Duration attributionWindow = Duration.ofMinutes(30);
    private @Nullable Long randomSeed;

    private Builder() {}

    /**
     * Puts a share of visitors in the personalization holdout: they always see every placement's
     * default variant, so that the lift of personalization as a whole can be measured against them.
     * Membership is a stable hash of the user id, else the session id (see {@link
     * dev.persona.ruleset.Experiment}). Off (0) by default.
     *
     * @param share the share of visitors, at least 0 and below 1, such as 0.05
     * @return this builder
     * @throws IllegalArgumentException if the share is out of range
     */
    public Builder holdout(double share) {
      if (!(share >= 0 && share < 1)) {
        throw new IllegalArgumentException("holdout must be at least 0 and below 1, was " + share);
      }
      this.holdout = share;
      return this;
    }

    /**
     * Lets QA pin variants with a query parameter or header of the given name, whose value lists
     * {@code placement:variant} pairs separated by commas, such as {@code
     * ?persona_force=home.hero:gift-guide}. Pinned choices say {@link VariantChoice.Basis#FORCED}.
     * Off by default: enable it only where visitors cannot abuse it, such as staging.
     *
     * @param name the query parameter and header name
     * @return this builder
     * @throws IllegalArgumentException if the name is empty
     */
    public Builder forcedVariants(String name) {
      Objects.requireNonNull(name, "name");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("forcedVariants needs a parameter name");
      }
      this.forcedVariants = name;
      return this;
    }

    /**
     * Sets where outcome statistics are kept; by default in memory, for up to 100,000 combinations
     * of placement, variant and segment.
     *
     * @param store the store
     * @return this builder
     */
    public Builder statsStore(StatsStore store) {
      this.statsStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * Sets how old the statistics that optimized placements choose by may be (default 1 second).
     * Zero reads the stats store on every decision with an optimized placement.
     *
     * @param interval the refresh interval, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder statsRefresh(Duration interval) {
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("statsRefresh must not be negative, was " + interval);
      }
      this.statsRefresh = interval;
      return this;
    }

    /**
     * Sets how long after an exposure a purchase or add to cart event of the same session is
     * credited to it (default 30 minutes). Zero turns automatic attribution off.
     *
     * @param window the window, not negative
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder attributionWindow(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new IllegalArgumentException("attributionWindow must not be negative, was " + window);
      }
      this.attributionWindow = window;
      return this;
    }

    /**
     * Makes optimized placements draw from one random source with this seed, so that a
     * single-threaded run is reproducible; for tests and simulations. By default each thread draws
     * from its own source.
     *
     * @param seed the seed
     * @return this builder
     */
    public Builder randomSeed(long seed) {
      this.randomSeed = seed;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public ExperimentConfig build() {
      return new ExperimentConfig(this);
    }
  }
}
