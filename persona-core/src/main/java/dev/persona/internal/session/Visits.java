package dev.persona.internal.session;

import java.util.Arrays;

/**
 * A profile's visits: how many sessions the user had, and the latest {@link #MAX} of them, each as
 * its {@linkplain Identity#token() token}, its first and its last seen time. A session's first
 * change to the profile adds it, so a change applied again, late or in another order adds each
 * session once (while it is among the latest kept); first seen is a minimum and last seen a
 * maximum, kept to the minute (a later visit within a minute of it leaves it). Immutable.
 */
public final class Visits {
  /** How many sessions a profile remembers by token. */
  public static final int MAX = 16;

  /** How far a session's last seen may lag behind its latest visit: a minute. */
  static final long LAST_SEEN_STEP = 60_000;

  static final Visits NONE = new Visits(0, SessionData.NO_TIMES);

  /** Sessions counted, those no longer kept included. */
  final int count;

  /** For session {@code i}: its token at {@code 3i}, first seen after, last seen after that. */
  final long[] records;

  Visits(int count, long[] records) {
    this.count = count;
    this.records = records;
  }

  /** Returns the number of sessions counted, those no longer kept by token included. */
  public int count() {
    return count;
  }

  /** Returns the number of sessions kept by token. */
  int size() {
    return records.length / 3;
  }

  private int indexOf(long token) {
    for (int i = 0; i < records.length; i += 3) {
      if (records[i] == token) {
        return i;
      }
    }
    return -1;
  }

  /** Returns whether the session with this token is among those counted and kept. */
  public boolean contains(long token) {
    return indexOf(token) >= 0;
  }

  /**
   * Returns the visits with the session {@code token} seen from {@code first} to {@code last}:
   * added and counted when new, the session seen longest ago dropped beyond {@link #MAX}; this
   * itself when nothing changes.
   */
  Visits with(long token, long first, long last) {
    int at = indexOf(token);
    if (at >= 0) {
      if (records[at + 1] <= first && records[at + 2] > last - LAST_SEEN_STEP) {
        return this; // last seen is kept to the minute, so that most visits change nothing here
      }
      long[] next = records.clone();
      next[at + 1] = Math.min(next[at + 1], first);
      next[at + 2] = Math.max(next[at + 2], last);
      return new Visits(count, next);
    }
    long[] next;
    if (size() < MAX) {
      next = Arrays.copyOf(records, records.length + 3);
      at = records.length;
    } else {
      next = records.clone();
      at = 0;
      for (int i = 3; i < next.length; i += 3) {
        if (next[i + 2] < next[at + 2]) {
          at = i;
        }
      }
    }
    next[at] = token;
    next[at + 1] = first;
    next[at + 2] = last;
    return new Visits(count == Integer.MAX_VALUE ? count : count + 1, next);
  }

  /** Returns how many sessions were counted besides the one with {@code token}. */
  public int others(long token) {
    return contains(token) ? count - 1 : count;
  }

  /**
   * Returns the latest last seen time of the sessions other than the one with {@code token}, or
   * {@link Long#MIN_VALUE} when there is none.
   */
  public long lastSeenBefore(long token) {
    long latest = Long.MIN_VALUE;
    for (int i = 0; i < records.length; i += 3) {
      if (records[i] != token) {
        latest = Math.max(latest, records[i + 2]);
      }
    }
    return latest;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Visits v && count == v.count && Arrays.equals(records, v.records);
  }

  @Override
  public int hashCode() {
    return count * 31 + Arrays.hashCode(records);
  }

  @Override
  public String toString() {
    return "Visits{count=" + count + "}";
  }
}
