package dev.persona.ruleset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A scoring rule: when its condition holds, it adds to the scores of one or more personas.
 *
 * <p>A persona's score is the sum of what its firing rules add, clamped to [0, 1]; negative weights
 * count against a persona. A rule may be {@linkplain Builder#per(String, double) scaled} by a
 * NUMBER signal, so that each review read adds a little, up to a cap, and decayed behaviour adds
 * less:
 *
 * <pre>{@code
 * Rule.builder("reads-reviews")
 *     .when(Condition.gte("reviews_read", 1))
 *     .add("researcher", 0.1)
 *     .per("reviews_read", 5)   // adds 0.1 x min(reviews_read, 5)
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the rule's id, named in the decision's reasons
 * @param description what the rule means, for people; may be empty
 * @param when the condition under which it fires
 * @param adds what it adds, by persona id, in declaration order
 * @param scaleKey the NUMBER signal that scales the weights, or null for fixed weights
 * @param scaleCap the most the scale signal counts for, when scaled
 * @since 0.1.0
 */
public record Rule(
    String id,
    String description,
    Condition when,
    Map<String, Double> adds,
    @Nullable String scaleKey,
    double scaleCap) {

  /**
   * Checks the rule.
   *
   * @throws IllegalArgumentException if the id is malformed, it adds to no persona, a weight (times
   *     the cap, when scaled) is not within ±1,000,000, or a scale has a cap that is not positive
   */
  public Rule {
    Ids.check("rule", id);
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(adds, "adds");
    if (adds.isEmpty()) {
      throw new IllegalArgumentException("rule '" + id + "' adds to no persona");
    }
    Map<String, Double> copy = new LinkedHashMap<>();
    adds.forEach(
        (persona, weight) ->
            copy.put(
                Objects.requireNonNull(persona, "persona"),
                Ids.checkWeight("rule '" + id + "'", Objects.requireNonNull(weight, "weight"))));
    adds = Collections.unmodifiableMap(copy);
    if (scaleKey != null && !(scaleCap > 0 && Double.isFinite(scaleCap))) {
      throw new IllegalArgumentException(
          "rule '" + id + "': the cap of its scale must be positive and finite, was " + scaleCap);
    }
    if (scaleKey != null) {
      double cap = scaleCap;
      for (double w : adds.values()) {
        if (!(Math.abs(w * cap) <= Ids.MAX_WEIGHT)) {
          throw new IllegalArgumentException(
              "rule '"
                  + id
                  + "': a weight times the cap of its scale must be within ±"
                  + (long) Ids.MAX_WEIGHT
                  + ", was "
                  + w * cap);
        }
      }
    }
  }

  /**
   * Returns a builder for a rule with the given id.
   *
   * @param id the rule's id
   * @return a new builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Builds a {@link Rule}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String id;
    private String description = "";
    private Condition when = Condition.always();
    private final Map<String, Double> adds = new LinkedHashMap<>();
    private @Nullable String scaleKey;
    private double scaleCap;

    private Builder(String id) {
      this.id = Ids.check("rule", id);
    }

    /**
     * Sets what the rule means, for people.
     *
     * @param description the description
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * Sets the condition under which the rule fires; without one it always fires.
     *
     * @param when the condition
     * @return this builder
     */
    public Builder when(Condition when) {
      this.when = Objects.requireNonNull(when, "when");
      return this;
    }

    /**
     * Adds {@code weight} to the persona's score when the rule fires.
     *
     * @param persona the persona id
     * @param weight the amount, negative to count against the persona
     * @return this builder
     * @throws IllegalArgumentException if the weight is not within ±1,000,000
     */
    public Builder add(String persona, double weight) {
      adds.put(
          Objects.requireNonNull(persona, "persona"), Ids.checkWeight("rule '" + id + "'", weight));
      return this;
    }

    /**
     * Scales every weight by the value of a NUMBER signal, counted up to {@code cap}.
     *
     * @param key the NUMBER signal
     * @param cap the most the signal counts for, positive
     * @return this builder
     * @throws IllegalArgumentException if cap is not positive and finite
     */
    public Builder per(String key, double cap) {
      if (!(cap > 0 && Double.isFinite(cap))) {
        throw new IllegalArgumentException("per '" + key + "': cap must be positive, was " + cap);
      }
      this.scaleKey = Objects.requireNonNull(key, "key");
      this.scaleCap = cap;
      return this;
    }

    /**
     * Builds the rule.
     *
     * @return the rule
     * @throws IllegalArgumentException if it adds to no persona
     */
    public Rule build() {
      return new Rule(id, description, when, adds, scaleKey, scaleCap);
    }
  }
}
