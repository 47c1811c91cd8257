package dev.persona.internal.experiment;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.LongSupplier;

/**
 * The ids of the latest outcomes a store counted: at most {@code maxIds}, none older than {@code
 * ttlNanos}, the oldest forgotten first (first in, first out; an id's age counts from when it was
 * first added). Not a Caffeine cache: its size bound admits a new entry only if it is used more
 * often than the one it would evict, so once full it forgets most new ids at once, when a duplicate
 * is most likely. Thread-safe: one lock, held for a few map operations.
 */
public final class RecentIds {
  private final int maxIds;
  private final long ttlNanos;
  private final LongSupplier ticker;
  private final LinkedHashMap<String, Long> firstSeen = new LinkedHashMap<>();

  /**
   * @param maxIds the most ids kept, positive
   * @param ttlNanos how long an id is kept, positive
   * @param ticker the time in nanoseconds, never decreasing, such as {@link System#nanoTime}
   */
  public RecentIds(int maxIds, long ttlNanos, LongSupplier ticker) {
    this.maxIds = maxIds;
    this.ttlNanos = ttlNanos;
    this.ticker = ticker;
  }

  /** Adds an id; returns false if it is already kept. */
  public synchronized boolean add(String id) {
    long now = ticker.getAsLong();
    Iterator<Long> oldest = firstSeen.values().iterator();
    while (oldest.hasNext() && now - oldest.next() >= ttlNanos) {
      oldest.remove();
    }
    if (firstSeen.putIfAbsent(id, now) != null) {
      return false;
    }
    if (firstSeen.size() > maxIds) {
      oldest = firstSeen.values().iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  /** Returns whether the id is kept. */
  public synchronized boolean contains(String id) {
    Long at = firstSeen.get(id);
    return at != null && ticker.getAsLong() - at < ttlNanos;
  }

  /** Returns how many ids are kept. */
  synchronized int size() {
    return firstSeen.size();
  }
}
