package dev.persona.spi;

import dev.persona.VariantStats;
import dev.persona.internal.experiment.InMemoryStatsStore;
import java.util.List;

/**
 * Where the engine keeps outcome statistics per placement, variant and segment: the evidence that
 * experiments are read from and that optimized placements learn from. The default keeps them in
 * memory ({@link #inMemory(int)}); a shared store merges the counts of several instances.
 *
 * <p><b>Counted once.</b> The engine hands each outcome's increment to {@link #add(String,
 * VariantStats)} with an id unique to the outcome (a digest of its {@linkplain
 * dev.persona.Outcome#id() id}, placement and kind), and the same id every time the same outcome is
 * recorded or credited; a store adds an increment whose id it has already added no more. Each store
 * remembers the ids of a bounded window of recent outcomes: beyond it, an outcome recorded again
 * counts again. A store written before 0.4.0 implements only {@link #add(VariantStats)} and counts
 * every recording.
 *
 * <p><b>Discounted counts.</b> An increment of an optimized placement with a {@linkplain
 * dev.persona.ruleset.Optimization#halfLife() half-life of evidence} also carries {@linkplain
 * VariantStats#discounted() discounted counts}. A store keeps their sum per combination, made by
 * {@link dev.persona.DiscountedCounts#plus} (which {@link VariantStats#plus} applies), and returns
 * it in snapshots; the order of additions does not matter. A store that drops them (as one written
 * before 0.5.0 may) costs only the discounting: such placements then choose by the whole counts.
 *
 * <p>Implementations must be thread-safe and lose no concurrent increments. A store that throws
 * costs only the statistics: the engine counts the failure, and optimized placements fall back to
 * what they last read. A throw should mean that the increment was not applied, so that failure
 * counts count what was lost. A failure is anything thrown but a JVM-fatal error: an {@link Error}
 * such as an {@link AssertionError} or a {@link LinkageError} counts as one, while a {@link
 * VirtualMachineError} other than {@link StackOverflowError} (such as {@link OutOfMemoryError}) and
 * {@link ThreadDeath} are thrown on, out of the engine's call.
 *
 * <p><b>Time-limited.</b> Unless it {@linkplain #boundsCallTime() bounds its own calls}, the engine
 * calls a store with {@linkplain dev.persona.config.ExtensionConfig.Builder#statsStoreTimeout a
 * time limit} (default 50 ms), so that a store that stalls cannot hold up {@code decide} or {@code
 * recordOutcome}. A call that takes longer is interrupted and left: a snapshot then counts as a
 * failure, and an increment as a timeout ({@link dev.persona.EngineStats#statsStoreTimeouts()}),
 * which may still be applied: the engine never hands it to the store again, so it counts at most
 * once; if the store then throws, it counts as a failure.
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
   * Adds the counts of one outcome to the totals of their placement, variant and segment, unless an
   * increment with the same id was added before (within the store's window of remembered ids). A
   * store that cannot tell may add it again, which the default does: it calls {@link
   * #add(VariantStats)}, so that stores written before this method count as they did.
   *
   * @param outcomeId identifies the outcome: the engine passes 32 lower-case hex digits, the first
   *     128 bits of SHA-256 of the outcome's id, placement and kind, so it holds no order or
   *     decision id; other callers may pass any non-empty string
   * @param increment the counts to add
   * @since 0.4.0
   */
  default void add(String outcomeId, VariantStats increment) {
    add(increment);
  }

  /**
   * Returns whether this store bounds the time of its own calls, so that the engine may call it on
   * the request thread without a limit of its own. The default, false, has the engine run each call
   * of the store on its pool of extension threads with {@link
   * dev.persona.config.ExtensionConfig.Builder#statsStoreTimeout a time limit}, which costs a
   * thread hop per call. The in-memory store and {@code RedisStatsStore} (its command and snapshot
   * timeouts) return true.
   *
   * @return true if no call of this store can block for long
   * @since 0.5.0
   */
  default boolean boundsCallTime() {
    return false;
  }

  /**
   * Returns the totals of every placement, variant and segment seen.
   *
   * @return a snapshot; later increments do not change it
   */
  List<VariantStats> snapshot();

  /**
   * Returns a store that keeps the totals in memory, for at most {@code maxEntries} combinations of
   * placement, variant and segment; increments for further combinations are dropped and counted. It
   * remembers the ids of the latest 100,000 outcomes for at most one hour (about 130 bytes each, 13
   * MB when full), so that an outcome added again within both bounds counts once; beyond them the
   * oldest ids are forgotten first, and an outcome whose id was forgotten counts again.
   *
   * @param maxEntries the most combinations kept, positive
   * @return the store
   * @throws IllegalArgumentException if {@code maxEntries} is not positive
   */
  static StatsStore inMemory(int maxEntries) {
    return new InMemoryStatsStore(maxEntries);
  }
}
