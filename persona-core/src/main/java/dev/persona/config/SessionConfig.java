package dev.persona.config;

import dev.persona.spi.SessionStore;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where an engine keeps sessions between requests, how long an idle session lasts, and how fast its
 * behaviour fades. Sessions live either in memory, in a store the engine makes and bounds, or in a
 * {@link SessionStore} of your own, such as a shared one, which bounds itself; the choice is made
 * by the factory, so a size for the in-memory store cannot be set together with a store of your
 * own.
 *
 * <pre>{@code
 * SessionConfig local = SessionConfig.inMemory(50_000).idleTimeout(Duration.ofMinutes(20)).build();
 * SessionConfig shared = SessionConfig.store(redisStore).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.3.0
 */
public final class SessionConfig {
  /** The most sessions the default in-memory store keeps. */
  public static final long DEFAULT_MAX_SESSIONS = 100_000;

  private static final SessionConfig DEFAULTS = inMemory(DEFAULT_MAX_SESSIONS).build();

  private final @Nullable SessionStore store;
  private final long maxSessions;
  private final Duration idleTimeout;
  private final Duration halfLife;
  private final Duration clockTolerance;

  private SessionConfig(Builder b) {
    this.store = b.store;
    this.maxSessions = b.maxSessions;
    this.idleTimeout = b.idleTimeout;
    this.halfLife = b.halfLife;
    this.clockTolerance = b.clockTolerance;
  }

  /**
   * Returns the defaults: in memory, at most 100,000 sessions, forgotten after 30 idle minutes,
   * behaviour counting half after an hour, a clock tolerance of a minute.
   *
   * @return the default session configuration
   */
  public static SessionConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder for sessions kept in memory by the engine, at most {@code maxSessions} of
   * them; the least recently used go first.
   *
   * @param maxSessions the most sessions kept, positive
   * @return a new builder
   * @throws IllegalArgumentException if {@code maxSessions} is not positive
   */
  public static Builder inMemory(long maxSessions) {
    if (maxSessions <= 0) {
      throw new IllegalArgumentException("maxSessions must be positive, was " + maxSessions);
    }
    return new Builder(null, maxSessions);
  }

  /**
   * Returns a builder for sessions kept in {@code store}, which bounds its own size.
   *
   * @param store the store, such as a Redis store shared by several instances
   * @return a new builder
   */
  public static Builder store(SessionStore store) {
    return new Builder(Objects.requireNonNull(store, "store"), DEFAULT_MAX_SESSIONS);
  }

  /**
   * Returns the store of your own, if one was given.
   *
   * @return the store, or null when the engine keeps sessions in memory
   */
  public @Nullable SessionStore store() {
    return store;
  }

  /**
   * Returns the most sessions the in-memory store keeps; with a store of your own, how many
   * signed-in users the engine remembers sessions of, for {@code forgetUser}.
   *
   * @return a positive count
   */
  public long maxSessions() {
    return maxSessions;
  }

  /**
   * Returns how long a session may be idle before it is forgotten, in real time (see {@link
   * Builder#idleTimeout}).
   *
   * @return a positive duration
   */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /**
   * Returns the half-life of behaviour: an event this long ago counts half.
   *
   * @return a duration of at least a millisecond
   */
  public Duration halfLife() {
    return halfLife;
  }

  /**
   * Returns how far ahead of the engine's clock a time may be before it is taken for a clock error.
   *
   * @return a duration, not negative
   */
  public Duration clockTolerance() {
    return clockTolerance;
  }

  @Override
  public String toString() {
    return "SessionConfig{"
        + (store == null ? "inMemory=" + maxSessions : "store=" + store.getClass().getSimpleName())
        + ", idleTimeout="
        + idleTimeout
        + ", halfLife="
        + halfLife
        + ", clockTolerance="
        + clockTolerance
        + "}";
  }

  /**
   * Builds a {@link SessionConfig}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final @Nullable SessionStore store;
    private final long maxSessions;
    private Duration idleTimeout = Duration.ofMinutes(30);
    private Duration halfLife = Duration.ofHours(1);
    private Duration clockTolerance = Duration.ofMinutes(1);

    private Builder(@Nullable SessionStore store, long maxSessions) {
      this.store = store;
      this.maxSessions = maxSessions;
    }

    /**
     * Sets how long a session may be idle before it is forgotten (default 30 minutes). The engine
     * applies it to any store: state older than this is not used.
     *
     * <p>Idle time is real time, also when the engine's clock steps back (an NTP correction, a
     * manual change). The in-memory store measures it on the clock, but while the clock is behind a
     * time it read before, by the elapsed {@link System#nanoTime()}. And with any store, a session
     * whose last visit is ahead of the clock by more than the {@linkplain #clockTolerance clock
     * tolerance}, but not beyond the latest time the clock read, may have been seen by this
     * instance before its clock stepped back: it is idle when more than this timeout has elapsed
     * since the clock read that time (as if this instance had seen it then, so never later than its
     * real idle time). A store of your own should expire sessions by elapsed time too, as Redis's
     * TTL does.
     *
     * @param timeout a positive duration
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idleTimeout must be positive, was " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Sets the half-life of behaviour (default 1 hour): an event this long ago counts half.
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
     * Sets how far ahead of the engine's clock a time may be (default 1 minute). A visit stamped
     * further ahead is taken as stamped now; a session whose latest visit is further ahead (another
     * instance's clock runs ahead, or this instance's clock stepped back since) has its clock
     * brought back to now, so that this visit's events are not weighed against a clock that ran
     * ahead. Either is flagged {@code CLOCK_AHEAD}. Such a session is used only if it is not idle
     * (see {@link #idleTimeout}): one that may have been seen by this instance before its clock
     * stepped back is idle by the time elapsed since; one stamped by another instance beyond any
     * time this instance's clock read cannot be timed, and is used.
     *
     * <p>Times in sessions are the engine's clock, not its elapsed time, so that instances can
     * compare them: after a step back of more than the tolerance, this instance stamps by the
     * corrected clock at once.
     *
     * @param tolerance not negative, at most a day
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder clockTolerance(Duration tolerance) {
      Objects.requireNonNull(tolerance, "tolerance");
      if (tolerance.isNegative() || tolerance.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException(
            "clockTolerance must be between 0 and 1 day, was " + tolerance);
      }
      this.clockTolerance = tolerance;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public SessionConfig build() {
      return new SessionConfig(this);
    }
  }
}
