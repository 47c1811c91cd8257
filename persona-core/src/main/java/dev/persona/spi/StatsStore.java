package dev.persona.spi;

import dev.persona.VariantStats;
import dev.persona.internal.experiment.InMemoryStatsStore;
import java.util.List;

/**
 * Where the engine keeps outcome statistics per placement, variant and segment: the evidence that
 * experiments are read from and that optimized placements learn from. The default keeps them in
 * memory ({@link #inMemory(int)}); a shared store merges the counts of several instances.
 *
 * <p>Implementations must be thread-safe and lose no concurrent increments. A store that throws
 * costs only the statistics: the engine counts the failure, and optimized placements fall back to
 * what they last read.
 *
 * @since 0.2.0
 */
public interface StatsStore {

  /**
   * Adds counts to the totals of their placement, variant and segment.
   *
   * @param increment the counts to add
   */
  void add(VariantStats increment);

  /**
   * Returns the totals of every placement, variant and segment seen.
   *
   * @return a snapshot; later increments do not change it
   */
  List<VariantStats> snapshot();

  /**
   * Returns a store that keeps the totals in memory, for at most {@code maxEntries} combinations of
   * placement, variant and segment; increments for further combinations are dropped and counted.
   *
   * @param maxEntries the most combinations kept, positive
   * @return the store
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  static StatsStore inMemory(int maxEntries) {
    return new InMemoryStatsStore(maxEntries);
  }
}
