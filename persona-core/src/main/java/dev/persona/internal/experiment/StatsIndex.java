package dev.persona.internal.experiment;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A snapshot of outcome statistics, looked up by placement, segment and variant, with each
 * segment's exposures of the placement over all its variants: the clock that discounted counts
 * stand on; only the rows of optimized choices. Each variant's discounted counts are decayed to
 * that point once, here, so that sampling does not. Immutable.
 */
final class StatsIndex {
  static final StatsIndex EMPTY = new StatsIndex(List.of());

  /** One variant's statistics, with its discounted counts decayed to the segment's point. */
  static final class Row {
    final VariantStats stats;

    /** The half-life the counts were decayed with; 0 when the variant has none. */
    final int halfLife;

    /** The decayed exposures. */
    final double exposures;

    private final double[] counts = new double[Outcome.Kind.values().length];

    Row(VariantStats stats, long at) {
      this.stats = stats;
      DiscountedCounts d = stats.discounted();
      if (d == null) {
        this.halfLife = 0;
        this.exposures = 0;
        return;
      }
      DiscountedCounts now = d.decayedTo(at);
      this.halfLife = d.halfLife();
      this.exposures = now.exposures();
      for (Outcome.Kind k : Outcome.Kind.values()) {
        counts[k.ordinal()] = now.count(k);
      }
    }

    /** Returns the decayed count of one kind of outcome. */
    double count(Outcome.Kind kind) {
      return counts[kind.ordinal()];
    }
  }

  /** One placement's statistics in one segment. */
  static final class Segment {
    static final Segment NONE = new Segment();

    final Map<String, Row> byVariant = new HashMap<>();

    /**
     * The probabilities of picks, by what they depend on beyond this snapshot ({@link Optimizer}).
     */
    final Map<Object, double[]> probabilities = new ConcurrentHashMap<>();

    /** The placement's exposures in the segment, over all its variants. */
    long exposures;
  }

  private final Map<String, Map<String, Segment>> byPlacement = new HashMap<>();
  private final Map<String, Long> placementExposures = new HashMap<>();

  /**
   * Indexes the rows of the snapshot that optimized placements learn from: those of their own
   * choices ({@link VariantChoice.Basis#OPTIMIZED}).
   */
  StatsIndex(List<VariantStats> snapshot) {
    Map<Segment, Map<String, VariantStats>> merged = new HashMap<>();
    for (VariantStats s : snapshot) {
      if (s.basis() != VariantChoice.Basis.OPTIMIZED) {
        continue;
      }
      Segment segment =
          byPlacement
              .computeIfAbsent(s.placement(), k -> new HashMap<>())
              .computeIfAbsent(s.segment(), k -> new Segment());
      merged
          .computeIfAbsent(segment, k -> new HashMap<>())
          .merge(s.variant(), s, VariantStats::plus);
      segment.exposures += s.exposures();
      placementExposures.merge(s.placement(), s.exposures(), Long::sum);
    }
    merged.forEach(
        (segment, variants) ->
            variants.forEach((v, s) -> segment.byVariant.put(v, new Row(s, segment.exposures))));
  }

  /** Returns the placement's exposures over all its variants and segments. */
  long exposures(String placement) {
    Long n = placementExposures.get(placement);
    return n == null ? 0 : n;
  }

  /** Returns the segment's statistics of a placement; empty when there are none. */
  Segment of(String placement, String segment) {
    Map<String, Segment> p = byPlacement.get(placement);
    Segment s = p == null ? null : p.get(segment);
    return s == null ? Segment.NONE : s;
  }
}
