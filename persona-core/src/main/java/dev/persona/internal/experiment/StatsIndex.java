package dev.persona.internal.experiment;

import dev.persona.VariantStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A snapshot of outcome statistics, looked up by placement, segment and variant. Immutable. */
final class StatsIndex {
  static final StatsIndex EMPTY = new StatsIndex(List.of());

  private final Map<String, Map<String, Map<String, VariantStats>>> byPlacement = new HashMap<>();

  StatsIndex(List<VariantStats> snapshot) {
    for (VariantStats s : snapshot) {
      byPlacement
          .computeIfAbsent(s.placement(), k -> new HashMap<>())
          .computeIfAbsent(s.segment(), k -> new HashMap<>())
          .merge(s.variant(), s, VariantStats::plus);
    }
  }

  /** Returns the segment's statistics of a placement by variant; empty when there are none. */
  Map<String, VariantStats> of(String placement, String segment) {
    Map<String, Map<String, VariantStats>> p = byPlacement.get(placement);
    Map<String, VariantStats> s = p == null ? null : p.get(segment);
    return s == null ? Map.of() : s;
  }
}
