package dev.persona.config;

import dev.persona.spi.DecisionListener;
import dev.persona.spi.SignalExtractor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Code of your own that an engine runs: extractors of custom contextual signals, listeners told of
 * every decision, and the bounds that keep either from holding up a request — how long a call of an
 * extractor or of a session or stats store of your own may take, and how many decisions may wait
 * for a listener.
 *
 * <pre>{@code
 * ExtensionConfig extensions = ExtensionConfig.builder()
 *     .extractor(new LoyaltyTierExtractor())
 *     .listener(exposureLog)
 *     .callTimeout(Duration.ofMillis(20))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe, provided the extractors and listeners are; its builder is not
 * thread-safe.
 *
 * @since 0.3.0
 */
public final class ExtensionConfig {
  /** The most calls of custom extractors and stores that may run, or hang, at once. */
  public static final int MAX_CALL_THREADS = 32;

  private static final ExtensionConfig DEFAULTS = builder().build();

  private final List<SignalExtractor> extractors;
  private final List<DecisionListener> listeners;
  private final Duration callTimeout;
  private final Duration statsStoreTimeout;
  private final int listenerQueueCapacity;

  private ExtensionConfig(Builder b) {
    this.extractors = List.copyOf(b.extractors);
    this.listeners = List.copyOf(b.listeners);
    this.callTimeout = b.callTimeout;
    this.statsStoreTimeout = b.statsStoreTimeout;
    this.listenerQueueCapacity = b.listenerQueueCapacity;
  }

  /**
   * Returns the defaults: no extractors or listeners of your own, a 50 ms call timeout, a 50 ms
   * stats store timeout and 1,024 decisions queued per listener.
   *
   * @return the default extension configuration
   */
  public static ExtensionConfig defaults() {
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
   * Returns the custom extractors, in the order they run after the built-in ones.
   *
   * @return the extractors; empty when there are none
   */
  public List<SignalExtractor> extractors() {
    return extractors;
  }

  /**
   * Returns the listeners told of every decision.
   *
   * @return the listeners; empty when there are none
   */
  public List<DecisionListener> listeners() {
    return listeners;
  }

  /**
   * Returns how long a call of a custom extractor or a custom session store may take.
   *
   * @return zero (no limit, on the request thread) or a positive duration of at most a minute
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Returns how long a call of a custom stats store may take.
   *
   * @return zero (no limit, on the request thread) or a positive duration of at most a minute
   * @since 0.5.0
   */
  public Duration statsStoreTimeout() {
    return statsStoreTimeout;
  }

  /**
   * Returns how many decisions may wait for each listener.
   *
   * @return a count from 1 to 1,048,576
   */
  public int listenerQueueCapacity() {
    return listenerQueueCapacity;
  }

  @Override
  public String toString() {
    return "ExtensionConfig{extractors="
        + extractors.stream().map(SignalExtractor::name).toList()
        + ", listeners="
        + listeners.size()
        + ", callTimeout="
        + callTimeout
        + ", statsStoreTimeout="
        + statsStoreTimeout
        + ", listenerQueueCapacity="
        + listenerQueueCapacity
        + "}";
  }

  /**
   * Builds an {@link ExtensionConfig}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final List<SignalExtractor> extractors = new ArrayList<>();
    private final List<DecisionListener> listeners = new ArrayList<>();
    private Duration callTimeout = Duration.ofMillis(50);
    private Duration statsStoreTimeout = Duration.ofMillis(50);
    private int listenerQueueCapacity = 1_024;

    private Builder() {}

    /**
     * Adds a custom extractor of contextual signals, run after the built-in ones. The engine's
     * build fails if it declares a signal the engine or another extractor declares.
     *
     * @param extractor the extractor
     * @return this builder
     */
    public Builder extractor(SignalExtractor extractor) {
      extractors.add(Objects.requireNonNull(extractor, "extractor"));
      return this;
    }

    /**
     * Adds a listener told of every decision, on a thread of its own (see {@link
     * DecisionListener}).
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(DecisionListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Sets how long a call of a custom extractor or a custom session store may take (default 50
     * ms). Such calls run on a small pool of daemon threads (up to {@value #MAX_CALL_THREADS}, made
     * when first needed): a call that takes longer is interrupted and abandoned, and a call made
     * while every pool thread is held by calls that never returned is refused at once. Either way
     * the decision comes back without that part, flagged {@link
     * dev.persona.Decision.Flag#EXTRACTOR_FAILED} or {@link
     * dev.persona.Decision.Flag#STORE_FAILED}, counted in {@link dev.persona.EngineStats} and
     * logged at most once a minute. Built-in extractors, the in-memory store and a store that
     * {@linkplain dev.persona.spi.SessionStore#boundsCallTime() bounds its own calls} run on the
     * request thread, without this limit or its cost (a thread hop per call). {@link Duration#ZERO}
     * runs custom extractors and stores on the request thread too, without a limit.
     *
     * @param timeout zero, or positive and at most 1 minute
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than a minute
     */
    public Builder callTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "callTimeout must be zero or positive and at most 1 minute, was " + timeout);
      }
      this.callTimeout = timeout;
      return this;
    }

    /**
     * Sets how long a call of a custom {@link dev.persona.spi.StatsStore} may take (default 50 ms):
     * an increment recorded by {@code recordOutcome} or by automatic attribution, or a snapshot
     * read for optimized placements or {@code variantStats}. Such calls run on the pool of {@link
     * #callTimeout} (the same {@value #MAX_CALL_THREADS} threads), so that a store that stalls
     * holds up a request for at most this long. A snapshot that takes longer counts as a failure,
     * and optimized placements use the one read before; an increment that takes longer is left to
     * finish and may still be applied, once, counted in {@link
     * dev.persona.EngineStats#statsStoreTimeouts()} (and in {@code statsStoreFailures} if it then
     * throws). The in-memory store and a store that {@linkplain
     * dev.persona.spi.StatsStore#boundsCallTime() bounds its own calls}, such as {@code
     * RedisStatsStore}, are called on the request thread, without this limit or its cost. {@link
     * Duration#ZERO} calls custom stores there too, without a limit. A store whose snapshots
     * legitimately take longer needs a longer limit.
     *
     * @param timeout zero, or positive and at most 1 minute
     * @return this builder
     * @throws IllegalArgumentException if negative or longer than a minute
     * @since 0.5.0
     */
    public Builder statsStoreTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException(
            "statsStoreTimeout must be zero or positive and at most 1 minute, was " + timeout);
      }
      this.statsStoreTimeout = timeout;
      return this;
    }

    /**
     * Sets how many decisions and outcomes may wait for each listener (default 1,024). When a
     * listener falls this far behind, further ones are dropped for it, counted in {@link
     * dev.persona.EngineStats#listenerDrops()} and logged at most once a minute.
     *
     * @param capacity a positive count, at most 1,048,576
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder listenerQueueCapacity(int capacity) {
      if (capacity <= 0 || capacity > 1 << 20) {
        throw new IllegalArgumentException(
            "listenerQueueCapacity must be between 1 and 1048576, was " + capacity);
      }
      this.listenerQueueCapacity = capacity;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public ExtensionConfig build() {
      return new ExtensionConfig(this);
    }
  }
}
