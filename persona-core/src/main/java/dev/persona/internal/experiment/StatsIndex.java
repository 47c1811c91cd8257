package dev.persona.internal.experiment;

import dev.persona.VariantStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of outcome statistics, looked up by placement, segment and variant, with each
 * segment's exposures of the placement over all its variants: the clock that discounted counts
 * stand on. Immutable.
 */
final class StatsIndex {
  static final StatsIndex EMPTY = new StatsIndex(List.of());

  /** One placement's statistics in one segment. */
  static final class Segment {
    static final Segment NONE = new Segment();

    final Map<String, VariantStats> byVariant = new HashMap<>();

    /** The placement's exposures in the segment, over all its variants. */
    long exposures;
  }

  private final Map<String, Map<String, Segment>> byPlacement = new HashMap<>();

  StatsIndex(List<VariantStats> snapshot) {
    for (VariantStats s : snapshot) {
      Segment segment =
          byPlacement
              .computeIfAbsent(s.placement(), k -> new HashMap<>())
              .computeIfAbsent(s.segment(), k -> new Segment());
      segment.byVariant.merge(s.variant(), s, VariantStats::plus);
      segment.exposures += s.exposures();
    }
  }

  /** Returns the segment's statistics of a placement; empty when there are none. */
  Segment of(String placement, String segment) {
    Map<String, Segment> p = byPlacement.get(placement);
    Segment s = p == null ? null : p.get(segment);
    return s == null ? Segment.NONE : s;
  }
}
