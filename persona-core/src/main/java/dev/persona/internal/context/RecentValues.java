package dev.persona.internal.context;

import java.util.function.Function;

/**
 * What a pure function gave for the last few values, so that the same User-Agent-like header values
 * or category names, which requests repeat all day, are not parsed again on every request. A small
 * direct-mapped table: a value evicts the one in its slot. Only values up to a length are kept, so
 * the table stays small. Thread-safe: entries are immutable and replaced whole; a lost race only
 * costs a recomputation.
 *
 * @param <V> what the function gives; may be null
 */
public final class RecentValues<V> {
  private static final int SLOTS = 256;

  /** The longest value kept; {@link #get} applies the function to a longer one every time. */
  public static final int MAX_KEY_LENGTH = 256;

  private final Function<String, V> function;
  private final Entry<?>[] entries = new Entry<?>[SLOTS];

  /**
   * @param function the pure function whose results to keep
   */
  public RecentValues(Function<String, V> function) {
    this.function = function;
  }

  /** Returns {@code function.apply(key)}, from the table when {@code key} was seen lately. */
  @SuppressWarnings("unchecked")
  public V get(String key) {
    if (key.length() > MAX_KEY_LENGTH) {
      return function.apply(key);
    }
    int slot = spread(key.hashCode()) & (SLOTS - 1);
    Entry<?> e = entries[slot];
    if (e != null && e.key.equals(key)) {
      return (V) e.value;
    }
    V value = function.apply(key);
    entries[slot] = new Entry<>(key, value);
    return value;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16) ^ (h >>> 8);
  }

  private record Entry<V>(String key, V value) {}
}
