package dev.persona.ruleset;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A place on a page or in a message that shows one of several variants, such as {@code home.hero}
 * or {@code cart.message}. Exactly one variant is the default, so a placement always has something
 * to show.
 *
 * <p>Immutable and thread-safe, provided the variants' content is.
 *
 * @param id the placement's id
 * @param variants its variants, in order of preference for ties
 * @since 0.1.0
 */
public record Placement(String id, List<Variant> variants) {

  /**
   * Checks the placement.
   *
   * @throws IllegalArgumentException if the id is malformed, variant ids repeat, or there is not
   *     exactly one default variant
   */
  public Placement {
    Ids.check("placement", id);
    variants = List.copyOf(variants);
    Set<String> seen = new HashSet<>();
    int defaults = 0;
    for (Variant v : variants) {
      if (!seen.add(v.id())) {
        throw new IllegalArgumentException(
            "placement '" + id + "': variant id '" + v.id() + "' appears twice");
      }
      if (v.isDefault()) {
        defaults++;
      }
    }
    if (defaults != 1) {
      throw new IllegalArgumentException(
          "placement '" + id + "' needs exactly one default variant, has " + defaults);
    }
  }

  /**
   * Returns a placement with the given variants.
   *
   * @param id the placement's id
   * @param variants its variants, one of them the default
   * @return the placement
   */
  public static Placement of(String id, Variant... variants) {
    return new Placement(id, Arrays.asList(variants));
  }

  /**
   * Returns the variant shown when no other is eligible.
   *
   * @return the default variant
   */
  public Variant defaultVariant() {
    for (Variant v : variants) {
      if (v.isDefault()) {
        return v;
      }
    }
    throw new AssertionError("checked in the constructor");
  }
}
