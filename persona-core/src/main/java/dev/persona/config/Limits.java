package dev.persona.config;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Bounds on what the engine takes from one request and keeps for one session, so that no request
 * can cost unbounded time or memory. Input beyond a limit is truncated or dropped, counted in
 * {@link dev.persona.EngineStats} and flagged on the decision with {@link
 * dev.persona.Decision.Flag#INPUT_TRUNCATED}.
 *
 * <pre>{@code
 * Limits limits = Limits.builder().maxEventsPerVisit(50).maxSetSize(16).build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.1.0
 */
public final class Limits {
  /**
   * The least {@link Builder#maxOutcomeIdLength} allowed.
   *
   * @since 0.4.0
   */
  public static final int MIN_OUTCOME_ID_LENGTH = 128;

  private static final Limits DEFAULTS = builder().build();

  private final int maxEventsPerVisit;
  private final int maxStringLength;
  private final int maxHeaderLength;
  private final int maxDeclaredKeys;
  private final int maxSetSize;
  private final int maxAffinityKeys;
  private final int maxSessionIdLength;
  private final int maxUserIdLength;
  private final int maxOutcomeIdLength;

  private Limits(Builder b) {
    this.maxEventsPerVisit = b.maxEventsPerVisit;
    this.maxStringLength = b.maxStringLength;
    this.maxHeaderLength = b.maxHeaderLength;
    this.maxDeclaredKeys = b.maxDeclaredKeys;
    this.maxSetSize = b.maxSetSize;
    this.maxAffinityKeys = b.maxAffinityKeys;
    this.maxSessionIdLength = b.maxSessionIdLength;
    this.maxUserIdLength = b.maxUserIdLength;
    this.maxOutcomeIdLength = b.maxOutcomeIdLength;
  }

  /**
   * Returns the default limits.
   *
   * @return the defaults
   */
  public static Limits defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder starting from these limits.
   *
   * @return a new builder
   * @since 0.3.0
   */
  public Builder toBuilder() {
    return new Builder()
        .maxEventsPerVisit(maxEventsPerVisit)
        .maxStringLength(maxStringLength)
        .maxHeaderLength(maxHeaderLength)
        .maxDeclaredKeys(maxDeclaredKeys)
        .maxSetSize(maxSetSize)
        .maxAffinityKeys(maxAffinityKeys)
        .maxSessionIdLength(maxSessionIdLength)
        .maxUserIdLength(maxUserIdLength)
        .maxOutcomeIdLength(maxOutcomeIdLength);
  }

  /**
   * Returns how many events are read from one visit; later ones are dropped.
   *
   * @return a positive count, by default 100
   */
  public int maxEventsPerVisit() {
    return maxEventsPerVisit;
  }

  /**
   * Returns how many characters of a string value are kept.
   *
   * @return a positive count, by default 256
   */
  public int maxStringLength() {
    return maxStringLength;
  }

  /**
   * Returns how many characters of a header or query parameter the built-in extractors read.
   *
   * @return a positive count, by default 2,048
   */
  public int maxHeaderLength() {
    return maxHeaderLength;
  }

  /**
   * Returns how many declared attributes are kept for a session.
   *
   * @return a positive count, by default 32
   */
  public int maxDeclaredKeys() {
    return maxDeclaredKeys;
  }

  /**
   * Returns how many elements of a set value are kept.
   *
   * @return a positive count, by default 32
   */
  public int maxSetSize() {
    return maxSetSize;
  }

  /**
   * Returns how many categories, and how many brands, are tracked for a session.
   *
   * @return 1 to 255, by default 16
   */
  public int maxAffinityKeys() {
    return maxAffinityKeys;
  }

  /**
   * Returns how many characters a session id may have; a longer id makes the visit invalid.
   *
   * @return a positive count, by default 256
   */
  public int maxSessionIdLength() {
    return maxSessionIdLength;
  }

  /**
   * Returns how many characters a visit's {@linkplain dev.persona.Visit#userId() user id} may have;
   * a longer id is left out (flagged as truncated input): the visit is decided as an anonymous one,
   * its session not linked to the user, so that no over-long id is kept.
   *
   * @return a positive count, by default 256
   * @since 0.5.0
   */
  public int maxUserIdLength() {
    return maxUserIdLength;
  }

  /**
   * Returns how many characters an outcome's {@linkplain dev.persona.Outcome#id() id}, or a {@code
   * purchase} event's {@code order_id}, may have. {@code recordOutcome} refuses an outcome with a
   * longer id (it is not counted; {@link dev.persona.EngineStats#truncatedInputs()} is), and a
   * longer {@code order_id} is ignored.
   *
   * @return a positive count, by default 256
   * @since 0.4.0
   */
  public int maxOutcomeIdLength() {
    return maxOutcomeIdLength;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Limits l
        && maxEventsPerVisit == l.maxEventsPerVisit
        && maxStringLength == l.maxStringLength
        && maxHeaderLength == l.maxHeaderLength
        && maxDeclaredKeys == l.maxDeclaredKeys
        && maxSetSize == l.maxSetSize
        && maxAffinityKeys == l.maxAffinityKeys
        && maxSessionIdLength == l.maxSessionIdLength
        && maxUserIdLength == l.maxUserIdLength
        && maxOutcomeIdLength == l.maxOutcomeIdLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxEventsPerVisit,
        maxStringLength,
        maxHeaderLength,
        maxDeclaredKeys,
        maxSetSize,
        maxAffinityKeys,
        maxSessionIdLength,
        maxUserIdLength,
        maxOutcomeIdLength);
  }

  @Override
  public String toString() {
    return "Limits{maxEventsPerVisit="
        + maxEventsPerVisit
        + ", maxStringLength="
        + maxStringLength
        + ", maxHeaderLength="
        + maxHeaderLength
        + ", maxDeclaredKeys="
        + maxDeclaredKeys
        + ", maxSetSize="
        + maxSetSize
        + ", maxAffinityKeys="
        + maxAffinityKeys
        + ", maxSessionIdLength="
        + maxSessionIdLength
        + ", maxUserIdLength="
        + maxUserIdLength
        + ", maxOutcomeIdLength="
        + maxOutcomeIdLength
        + "}";
  }

  /**
   * Builds {@link Limits}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private int maxEventsPerVisit = 100;
    private int maxStringLength = 256;
    private int maxHeaderLength = 2048;
    private int maxDeclaredKeys = 32;
    private int maxSetSize = 32;
    private int maxAffinityKeys = 16;
    private int maxSessionIdLength = 256;
    private int maxUserIdLength = 256;
    private int maxOutcomeIdLength = 256;

    private Builder() {}

    /**
     * Sets how many events are read from one visit (default 100).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxEventsPerVisit(int value) {
      this.maxEventsPerVisit = positive("maxEventsPerVisit", value);
      return this;
    }

    /**
     * Sets how many characters of a string value are kept (default 256).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxStringLength(int value) {
      this.maxStringLength = positive("maxStringLength", value);
      return this;
    }

    /**
     * Sets how many characters of a header or query parameter the built-in extractors read (default
     * 2,048).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxHeaderLength(int value) {
      this.maxHeaderLength = positive("maxHeaderLength", value);
      return this;
    }

    /**
     * Sets how many declared attributes are kept for a session (default 32).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxDeclaredKeys(int value) {
      this.maxDeclaredKeys = positive("maxDeclaredKeys", value);
      return this;
    }

    /**
     * Sets how many elements of a set value are kept (default 32).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxSetSize(int value) {
      this.maxSetSize = positive("maxSetSize", value);
      return this;
    }

    /**
     * Sets how many categories, and how many brands, are tracked for a session (default 16).
     *
     * @param value 1 to 255
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxAffinityKeys(int value) {
      if (positive("maxAffinityKeys", value) > 255) {
        throw new IllegalArgumentException("maxAffinityKeys must be at most 255, was " + value);
      }
      this.maxAffinityKeys = value;
      return this;
    }

    /**
     * Sets how many characters a session id may have (default 256).
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxSessionIdLength(int value) {
      this.maxSessionIdLength = positive("maxSessionIdLength", value);
      return this;
    }

    /**
     * Sets how many characters a user id may have (default 256); a visit with a longer one is
     * decided as an anonymous visit.
     *
     * @param value a positive count
     * @return this builder
     * @throws IllegalArgumentException if not positive
     * @since 0.5.0
     */
    public Builder maxUserIdLength(int value) {
      this.maxUserIdLength = positive("maxUserIdLength", value);
      return this;
    }

    /**
     * Sets how many characters an outcome's id, or a purchase event's {@code order_id}, may have
     * (default 256). At least {@value #MIN_OUTCOME_ID_LENGTH}, so that the ids outcomes derive from
     * decisions (at most 109 characters) always fit.
     *
     * @param value a count of at least {@value #MIN_OUTCOME_ID_LENGTH}
     * @return this builder
     * @throws IllegalArgumentException if less
     * @since 0.4.0
     */
    public Builder maxOutcomeIdLength(int value) {
      if (value < MIN_OUTCOME_ID_LENGTH) {
        throw new IllegalArgumentException(
            "maxOutcomeIdLength must be at least " + MIN_OUTCOME_ID_LENGTH + ", was " + value);
      }
      this.maxOutcomeIdLength = value;
      return this;
    }

    private static int positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException(name + " must be positive, was " + value);
      }
      return value;
    }

    /**
     * Builds the limits.
     *
     * @return the immutable limits
     */
    public Limits build() {
      return new Limits(this);
    }
  }
}
