package dev.persona.internal.experiment;

import dev.persona.ruleset.Persona;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What the statistics of one rule set may hold: its placements, each with its variants, and its
 * persona ids as segments (or none). An outcome or credit naming anything else is refused, so that
 * what callers send cannot fill the stats store with combinations nothing reads. Immutable.
 */
final class KnownOutcomes {
  static final KnownOutcomes NONE = new KnownOutcomes(Map.of(), Set.of());

  private final Map<String, Set<String>> variants;
  private final Set<String> segments;

  private KnownOutcomes(Map<String, Set<String>> variants, Set<String> segments) {
    this.variants = variants;
    this.segments = segments;
  }

  static KnownOutcomes of(RuleSet rules) {
    Map<String, Set<String>> variants = new HashMap<>();
    for (Placement p : rules.placements()) {
      Set<String> ids = new HashSet<>();
      for (Variant v : p.variants()) {
        ids.add(v.id());
      }
      variants.put(p.id(), Set.copyOf(ids));
    }
    Set<String> segments = new HashSet<>();
    for (Persona p : rules.personas()) {
      segments.add(p.id());
    }
    return new KnownOutcomes(Map.copyOf(variants), Set.copyOf(segments));
  }

  /** Returns whether the rule set has the placement, the variant in it, and the segment. */
  boolean knows(String placement, String variant, @Nullable String segment) {
    Set<String> v = variants.get(placement);
    return v != null && v.contains(variant) && (segment == null || segments.contains(segment));
  }
}
