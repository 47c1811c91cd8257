package dev.persona.ruleset;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One content variant of a placement, aimed at personas and optionally limited by a condition.
 *
 * <p>A variant is eligible when its condition holds and, if it targets personas, at least one of
 * them is matched (its score clears its threshold). Its fit is {@code weight} times the best score
 * among its matched targets, or {@code weight} alone when it targets no persona. The eligible
 * variant with the highest fit wins; ties go to the first declared. When none is eligible the
 * placement's default is chosen.
 *
 * <p>Immutable and thread-safe, provided the content object is.
 *
 * @param id the variant's id, unique in its placement
 * @param targets the personas it is meant for; may be empty
 * @param when the condition it needs; {@link Condition#always()} for none
 * @param weight its weight, positive
 * @param isDefault whether it is the placement's fallback
 * @param content what to show, handed back untouched; may be null
 * @since 0.1.0
 */
public record Variant(
    String id,
    Set<String> targets,
    Condition when,
    double weight,
    boolean isDefault,
    @Nullable Object content) {

  /**
   * Checks the variant.
   *
   * @throws IllegalArgumentException if the id is malformed or the weight is not positive
   */
  public Variant {
    Ids.check("variant", id);
    targets = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(targets, "targets")));
    Objects.requireNonNull(when, "when");
    if (!(weight > 0 && Double.isFinite(weight))) {
      throw new IllegalArgumentException(
          "variant '" + id + "': weight must be positive and finite, was " + weight);
    }
  }

  /**
   * Returns a builder for a variant with the given id.
   *
   * @param id the variant's id
   * @return a new builder
   */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Builds a {@link Variant}. Not thread-safe.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String id;
    private final Set<String> targets = new LinkedHashSet<>();
    private Condition when = Condition.always();
    private double weight = 1.0;
    private boolean isDefault;
    private @Nullable Object content;

    private Builder(String id) {
      this.id = Ids.check("variant", id);
    }

    /**
     * Adds personas the variant is meant for.
     *
     * @param personas persona ids
     * @return this builder
     */
    public Builder targets(String... personas) {
      return targets(Arrays.asList(personas));
    }

    /**
     * Adds personas the variant is meant for.
     *
     * @param personas persona ids
     * @return this builder
     */
    public Builder targets(Collection<String> personas) {
      for (String p : personas) {
        targets.add(Objects.requireNonNull(p, "persona"));
      }
      return this;
    }

    /**
     * Sets the condition the variant needs.
     *
     * @param when the condition
     * @return this builder
     */
    public Builder when(Condition when) {
      this.when = Objects.requireNonNull(when, "when");
      return this;
    }

    /**
     * Sets the weight (default 1.0) that multiplies the variant's fit.
     *
     * @param weight a positive weight
     * @return this builder
     * @throws IllegalArgumentException if not positive and finite
     */
    public Builder weight(double weight) {
      if (!(weight > 0 && Double.isFinite(weight))) {
        throw new IllegalArgumentException("weight must be positive and finite, was " + weight);
      }
      this.weight = weight;
      return this;
    }

    /**
     * Makes this variant the placement's fallback.
     *
     * @return this builder
     */
    public Builder asDefault() {
      this.isDefault = true;
      return this;
    }

    /**
     * Sets what to show; the engine hands it back untouched.
     *
     * @param content the content, such as a map or a JSON string; may be null
     * @return this builder
     */
    public Builder content(@Nullable Object content) {
      this.content = content;
      return this;
    }

    /**
     * Builds the variant.
     *
     * @return the variant
     */
    public Variant build() {
      return new Variant(id, targets, when, weight, isDefault, content);
    }
  }
}
