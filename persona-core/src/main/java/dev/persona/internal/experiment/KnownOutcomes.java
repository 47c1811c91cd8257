package dev.persona.internal.experiment;

import dev.persona.ruleset.Experiment;
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
 * what callers send cannot fill the stats store with combinations nothing reads; so is one of a
 * placement whose experiment does not run at the time (before its start or from its end).
 * Immutable.
 */
final class KnownOutcomes {
  static final KnownOutcomes NONE = new KnownOutcomes(Map.of(), Set.of(), Map.of());

  private final Map<String, Set<String>> variants;
  private final Set<String> segments;
  private final Map<String, Experiment> scheduled;

  private KnownOutcomes(
      Map<String, Set<String>> variants, Set<String> segments, Map<String, Experiment> scheduled) {
    this.variants = variants;
    this.segments = segments;
    this.scheduled = scheduled;
  }

  static KnownOutcomes of(RuleSet rules) {
    Map<String, Set<String>> variants = new HashMap<>();
    Map<String, Experiment> scheduled = new HashMap<>();
    for (Placement p : rules.placements()) {
      Experiment x = p.experiment();
      if (x != null && (x.start() != null || x.end() != null)) {
        scheduled.put(p.id(), x);
      }
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
    return new KnownOutcomes(Map.copyOf(variants), Set.copyOf(segments), Map.copyOf(scheduled));
  }

  /**
   * Returns whether the rule set has the placement, the variant in it, and the segment, and the
   * placement's experiment, if it has a start or end, runs at {@code nowMillis}.
   */
  boolean knows(String placement, String variant, @Nullable String segment, long nowMillis) {
    Set<String> v = variants.get(placement);
    if (v == null || !v.contains(variant) || (segment != null && !segments.contains(segment))) {
      return false;
    }
    Experiment x = scheduled.isEmpty() ? null : scheduled.get(placement);
    return x == null || x.runsAt(nowMillis);
  }
}
