package dev.persona.rules;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RuleFileWatcher} did since it started, read with {@link RuleFileWatcher#stats()}:
 * for a health check, whether it still watches and whether the file in place loads. A final class
 * rather than a record, so that fields can be added without breaking callers; build one for a test
 * with {@link #builder()}.
 *
 * <p>The reasons it holds are about the rule file (its path, and the problems with their
 * positions), never about requests. Immutable and thread-safe: a snapshot.
 *
 * @since 0.5.0
 */
public final class WatcherStats {
  private final boolean running;
  private final @Nullable String stopReason;
  private final long reloads;
  private final long failures;
  private final @Nullable Instant lastReload;
  private final @Nullable Instant lastFailure;
  private final @Nullable String lastFailureReason;
  private final boolean failing;

  private WatcherStats(Builder b) {
    this.running = b.running;
    this.stopReason = b.stopReason;
    this.reloads = b.reloads;
    this.failures = b.failures;
    this.lastReload = b.lastReload;
    this.lastFailure = b.lastFailure;
    this.lastFailureReason = b.lastFailureReason;
    this.failing = b.failing;
  }

  /**
   * Returns a builder of a running watcher's stats with nothing counted; for tests.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns whether the watcher still watches the file: false once closed, or stopped on its own.
   *
   * @return true while changes to the file are still seen
   */
  public boolean running() {
    return running;
  }

  /**
   * Returns why the watcher stopped on its own (its directory gone, or a failure of the watching
   * thread), which it also logged as an error.
   *
   * @return the reason, or null while it runs and after {@link RuleFileWatcher#close()}
   */
  public @Nullable String stopReason() {
    return stopReason;
  }

  /**
   * Returns how many reloads succeeded.
   *
   * @return a count since the watcher started
   */
  public long reloads() {
    return reloads;
  }

  /**
   * Returns how many reloads failed: a file that could not be read, was too large or did not load,
   * or any other failure of a reload, an {@link Error} included.
   *
   * @return a count since the watcher started
   */
  public long failures() {
    return failures;
  }

  /**
   * Returns when the latest successful reload was, by the system clock.
   *
   * @return the time, or null if none succeeded
   */
  public @Nullable Instant lastReload() {
    return lastReload;
  }

  /**
   * Returns when the latest failed reload was, by the system clock; kept after a later good reload.
   *
   * @return the time, or null if none failed
   */
  public @Nullable Instant lastFailure() {
    return lastFailure;
  }

  /**
   * Returns why the latest failed reload failed: the problems with their FILE:LINE:COL, or the
   * failure's type and message.
   *
   * @return the reason, or null if none failed
   */
  public @Nullable String lastFailureReason() {
    return lastFailureReason;
  }

  /**
   * Returns whether the latest reload failed: the file in place does not load, and the engine
   * serves an earlier rule set.
   *
   * @return true until a reload succeeds again
   */
  public boolean failing() {
    return failing;
  }

  /**
   * Returns whether the watcher runs and the latest reload did not fail: what a health check wants.
   *
   * @return {@code running() && !failing()}
   */
  public boolean healthy() {
    return running && !failing;
  }

  @Override
  public String toString() {
    return "WatcherStats{running="
        + running
        + ", failing="
        + failing
        + ", reloads="
        + reloads
        + ", failures="
        + failures
        + ", lastReload="
        + lastReload
        + ", lastFailure="
        + lastFailure
        + "}";
  }

  /**
   * Builds {@link WatcherStats}; for tests and for the watcher. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private boolean running = true;
    private @Nullable String stopReason;
    private long reloads;
    private long failures;
    private @Nullable Instant lastReload;
    private @Nullable Instant lastFailure;
    private @Nullable String lastFailureReason;
    private boolean failing;

    private Builder() {}

    /**
     * Says the watcher stopped, and why if it stopped on its own.
     *
     * @param reason why it stopped, or null when it was closed
     * @return this builder
     */
    public Builder stopped(@Nullable String reason) {
      this.running = false;
      this.stopReason = reason;
      return this;
    }

    /**
     * Sets the successful reloads and the time of the latest.
     *
     * @param count the reloads, not negative
     * @param last the latest one's time, or null for none
     * @return this builder
     * @throws IllegalArgumentException if count is negative
     */
    public Builder reloads(long count, @Nullable Instant last) {
      if (count < 0) {
        throw new IllegalArgumentException("reloads must not be negative, was " + count);
      }
      this.reloads = count;
      this.lastReload = last;
      return this;
    }

    /**
     * Sets the failed reloads, the latest one's time and reason, and whether it is still the latest
     * reload.
     *
     * @param count the failures, not negative
     * @param last the latest one's time, or null for none
     * @param reason the latest one's reason, or null for none
     * @param failing whether the latest reload failed
     * @return this builder
     * @throws IllegalArgumentException if count is negative
     */
    public Builder failures(
        long count, @Nullable Instant last, @Nullable String reason, boolean failing) {
      if (count < 0) {
        throw new IllegalArgumentException("failures must not be negative, was " + count);
      }
      this.failures = count;
      this.lastFailure = last;
      this.lastFailureReason = reason;
      this.failing = failing;
      return this;
    }

    /**
     * Returns the stats.
     *
     * @return an immutable snapshot
     */
    public WatcherStats build() {
      return new WatcherStats(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WatcherStats s
        && running == s.running
        && reloads == s.reloads
        && failures == s.failures
        && failing == s.failing
        && Objects.equals(stopReason, s.stopReason)
        && Objects.equals(lastReload, s.lastReload)
        && Objects.equals(lastFailure, s.lastFailure)
        && Objects.equals(lastFailureReason, s.lastFailureReason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(running, reloads, failures, failing, lastReload, lastFailure);
  }
}
