package dev.persona.internal.experiment;

import dev.persona.Outcome;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Tells the engine's listeners of the outcomes it counts, those the caller records and those it
 * credits from events alike, once per {@linkplain OutcomeKeys store id} while this instance
 * remembers it (the latest {@value #REMEMBERED} ids, for an hour): an outcome recorded again, or an
 * order both recorded by the caller and credited from its {@code purchase} event to the same
 * placement, is told once. An outcome without an id counts, and is told, every time. Without
 * listeners, nothing is remembered. Thread-safe.
 */
public final class CountedOutcomes {
  /** How many store ids of outcomes told are remembered. */
  public static final int REMEMBERED = 16_384;

  static final long REMEMBERED_NANOS = TimeUnit.HOURS.toNanos(1);

  /** Tells nothing: an engine without listeners. */
  public static final CountedOutcomes NONE = new CountedOutcomes(null);

  private final @Nullable BiConsumer<Outcome, Instant> listeners;
  private final @Nullable RecentIds told;

  private CountedOutcomes(@Nullable BiConsumer<Outcome, Instant> listeners) {
    this.listeners = listeners;
    this.told =
        listeners == null ? null : new RecentIds(REMEMBERED, REMEMBERED_NANOS, System::nanoTime);
  }

  /**
   * Returns what tells {@code listeners} of the outcomes counted.
   *
   * @param listeners queues an outcome for every listener; never blocks
   */
  public static CountedOutcomes to(BiConsumer<Outcome, Instant> listeners) {
    return new CountedOutcomes(listeners);
  }

  /** Returns whether there is anyone to tell; when not, outcomes need not be made to tell them. */
  boolean listened() {
    return listeners != null;
  }

  /**
   * Tells the listeners of an outcome counted at {@code atMillis}, unless they were told of one
   * with the same store id lately.
   *
   * @param storeId the id the statistics count it once by, or null for an outcome without an id
   */
  void counted(@Nullable String storeId, Outcome outcome, long atMillis) {
    BiConsumer<Outcome, Instant> to = listeners;
    RecentIds seen = told;
    if (to == null || seen == null || (storeId != null && !seen.add(storeId))) {
      return;
    }
    to.accept(outcome, Instant.ofEpochMilli(atMillis));
  }
}
