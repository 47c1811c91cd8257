package dev.persona.config;

import dev.persona.spi.SessionStore;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether and where an engine keeps a profile per signed-in user, one that lasts across sessions
 * and devices: the shopper's long-term affinities, recently viewed products, open cart, declared
 * attributes and earlier visits ({@code docs/profile.md}). A profile is kept like a session, keyed
 * by the user id, in a {@link SessionStore}: in memory by default, or in a store of your own, such
 * as a second {@code RedisSessionStore} with a key prefix of its own and a time to live as long as
 * the profile's, which shares profiles between instances with the same exactness and erasure as
 * sessions.
 *
 * <pre>{@code
 * ProfileConfig local = ProfileConfig.inMemory(50_000).timeToLive(Duration.ofDays(90)).build();
 * ProfileConfig shared = ProfileConfig.store(redisStore).build(); // not the sessions' store
 * }</pre>
 *
 * <p>The engine's default keeps profiles in memory when sessions are in memory, and keeps none when
 * sessions are in a store of your own (a profile only this instance knows could not be erased from
 * the others): give {@link #store(SessionStore)} then.
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.5.0
 */
public final class ProfileConfig {
  /** The most profiles the default in-memory store keeps. */
  public static final long DEFAULT_MAX_PROFILES = 100_000;

  /** How long a profile lasts after the user's latest visit, by default: 180 days. */
  public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofDays(180);

  /** The default half-life of a profile's behaviour: 30 days. */
  public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(30);

  private static final ProfileConfig OFF = new ProfileConfig(new Builder(null, 0));

  private final @Nullable SessionStore store;
  private final long maxProfiles;
  private final Duration timeToLive;
  private final Duration halfLife;

  private ProfileConfig(Builder b) {
    this.store = b.store;
    this.maxProfiles = b.maxProfiles;
    this.timeToLive = b.timeToLive;
    this.halfLife = b.halfLife;
  }

  /**
   * Returns the configuration that keeps no profile: each session stands alone, as before profiles.
   *
   * @return the configuration without profiles
   */
  public static ProfileConfig off() {
    return OFF;
  }

  /**
   * Returns a builder for profiles kept in memory by the engine, at most {@code maxProfiles} of
   * them; the least recently used go first.
   *
   * @param maxProfiles the most profiles kept, positive
   * @return a new builder
   * @throws IllegalArgumentException if {@code maxProfiles} is not positive
   */
  public static Builder inMemory(long maxProfiles) {
    if (maxProfiles <= 0) {
      throw new IllegalArgumentException("maxProfiles must be positive, was " + maxProfiles);
    }
    return new Builder(null, maxProfiles);
  }

  /**
   * Returns a builder for profiles kept in {@code store}, keyed by user id, which bounds its own
   * size; its time to live should be the profile's. It must not be the session store: the two would
   * share keys.
   *
   * @param store the store, such as a {@code RedisSessionStore} with a key prefix of its own
   * @return a new builder
   */
  public static Builder store(SessionStore store) {
    return new Builder(Objects.requireNonNull(store, "store"), DEFAULT_MAX_PROFILES);
  }

  /**
   * Returns whether profiles are kept.
   *
   * @return false for {@link #off()}
   */
  public boolean enabled() {
    return this != OFF;
  }

  /**
   * Returns the store of your own, if one was given.
   *
   * @return the store, or null when the engine keeps profiles in memory (or none)
   */
  public @Nullable SessionStore store() {
    return store;
  }

  /**
   * Returns the most profiles the in-memory store keeps.
   *
   * @return a count; 0 for {@link #off()}
   */
  public long maxProfiles() {
    return maxProfiles;
  }

  /**
   * Returns how long a profile lasts after the user's latest visit.
   *
   * @return a positive duration
   */
  public Duration timeToLive() {
    return timeToLive;
  }

  /**
   * Returns the half-life of a profile's behaviour counts and affinities.
   *
   * @return a duration of at least a millisecond
   */
  public Duration halfLife() {
    return halfLife;
  }

  @Override
  public String toString() {
    if (!enabled()) {
      return "ProfileConfig{off}";
    }
    return "ProfileConfig{"
        + (store == null ? "inMemory=" + maxProfiles : "store=" + store.getClass().getSimpleName())
        + ", timeToLive="
        + timeToLive
        + ", halfLife="
        + halfLife
        + "}";
  }

  /**
   * Builds a {@link ProfileConfig}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private final @Nullable SessionStore store;
    private final long maxProfiles;
    private Duration timeToLive = DEFAULT_TIME_TO_LIVE;
    private Duration halfLife = DEFAULT_HALF_LIFE;

    private Builder(@Nullable SessionStore store, long maxProfiles) {
      this.store = store;
      this.maxProfiles = maxProfiles;
    }

    /**
     * Sets how long a profile lasts after the user's latest visit (default 180 days). The engine
     * uses no profile older than this from any store; a store of your own should expire it too.
     *
     * @param timeToLive a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder timeToLive(Duration timeToLive) {
      Objects.requireNonNull(timeToLive, "timeToLive");
      if (timeToLive.isNegative() || timeToLive.isZero()) {
        throw new IllegalArgumentException("timeToLive must be positive, was " + timeToLive);
      }
      this.timeToLive = timeToLive;
      return this;
    }

    /**
     * Sets the half-life of a profile's behaviour counts and category and brand affinities (default
     * 30 days): attention this long ago counts half.
     *
     * @param halfLife a duration of at least a millisecond
     * @return this builder
     * @throws IllegalArgumentException if shorter than a millisecond
     */
    public Builder halfLife(Duration halfLife) {
      Objects.requireNonNull(halfLife, "halfLife");
      if (halfLife.toMillis() < 1) {
        throw new IllegalArgumentException("halfLife must be at least 1 ms, was " + halfLife);
      }
      this.halfLife = halfLife;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public ProfileConfig build() {
      return new ProfileConfig(this);
    }
  }
}
