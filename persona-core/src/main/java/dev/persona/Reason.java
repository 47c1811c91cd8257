package dev.persona;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a decision came out as it did: one rule that fired, one assignment that applied, one variant
 * chosen, or how consent or bad input shaped the decision. A final class rather than a record, so
 * that what a reason tells can grow without breaking callers.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1.0
 */
public final class Reason {
  private final Kind kind;
  private final @Nullable String source;
  private final String text;
  private final List<Signal> signals;
  private final Map<String, Double> adds;

  private Reason(Builder b) {
    this.kind = b.kind;
    this.source = b.source;
    this.text = b.text;
    this.signals = b.signals;
    this.adds = b.adds;
  }

  /**
   * Returns a reason that concerns no rule, assignment or placement in particular.
   *
   * @param kind what the reason is about
   * @param text the reason, readable by a person
   * @return the reason
   * @since 0.3.0
   */
  public static Reason of(Kind kind, String text) {
    return builder(kind, text).build();
  }

  /**
   * Returns a builder for a reason.
   *
   * @param kind what the reason is about
   * @param text the reason, readable by a person
   * @return a new builder
   * @since 0.3.0
   */
  public static Builder builder(Kind kind, String text) {
    return new Builder(kind, text);
  }

  /**
   * Returns what the reason is about.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * Returns the rule, assignment value or placement the reason concerns.
   *
   * @return its id, or null for a reason about consent or input
   */
  public @Nullable String source() {
    return source;
  }

  /**
   * Returns the reason, readable by a person.
   *
   * @return the text
   */
  public String text() {
    return text;
  }

  /**
   * Returns the signals the reason rests on.
   *
   * @return the signals; empty when it rests on none
   */
  public List<Signal> signals() {
    return signals;
  }

  /**
   * Returns, for a score reason, what it added to each persona.
   *
   * @return additions by persona id; empty for other reasons
   */
  public Map<String, Double> adds() {
    return adds;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Reason r
        && kind == r.kind
        && Objects.equals(source, r.source)
        && text.equals(r.text)
        && signals.equals(r.signals)
        && adds.equals(r.adds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, source, text, signals, adds);
  }

  /** Returns the text. */
  @Override
  public String toString() {
    return text;
  }

  /**
   * What a {@link Reason} is about. Thread-safe: an enum.
   *
   * @since 0.1.0
   */
  public enum Kind {
    /** A scoring rule fired and added to persona scores. */
    SCORE,
    /** A lifecycle-segment assignment applied. */
    LIFECYCLE,
    /** A journey-stage assignment applied. */
    STAGE,
    /** A variant was chosen for a placement. */
    VARIANT,
    /** Consent limited the signals used. */
    CONSENT,
    /** Input was truncated, rejected or could not be read, or a component failed. */
    INPUT
  }

  /**
   * Builds a {@link Reason}. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private final Kind kind;
    private final String text;
    private @Nullable String source;
    private List<Signal> signals = List.of();
    private Map<String, Double> adds = Map.of();

    private Builder(Kind kind, String text) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * Sets the rule, assignment value or placement the reason concerns (default none).
     *
     * @param source its id, or null
     * @return this builder
     */
    public Builder source(@Nullable String source) {
      this.source = source;
      return this;
    }

    /**
     * Sets the signals the reason rests on (default none).
     *
     * @param signals the signals; copied
     * @return this builder
     */
    public Builder signals(List<Signal> signals) {
      this.signals = List.copyOf(signals);
      return this;
    }

    /**
     * Sets what a score reason added to each persona (default nothing).
     *
     * @param adds additions by persona id; copied
     * @return this builder
     */
    public Builder adds(Map<String, Double> adds) {
      this.adds = Map.copyOf(adds);
      return this;
    }

    /**
     * Builds the reason.
     *
     * @return the immutable reason
     */
    public Reason build() {
      return new Reason(this);
    }
  }
}
