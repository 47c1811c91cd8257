package dev.persona.redis.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.persona.spi.SessionStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The changes of visits that a denial of consent held back when this instance wrote them ({@link
 * SessionStore.Change#heldBack}), by session key name: the shopper may have granted consent again
 * on another instance, whose write lands after them (it waited in that instance's queue while Redis
 * was slow or away). They are applied again with the next writes of the session, and when another
 * instance writes it; each lets itself in once, on a grant made before it. Each is kept from when
 * it was first held back for at most {@code holdFor}, at most {@code perSession} of a session (the
 * latest) and those of at most {@code sessions} sessions: a grant lands within seconds of the
 * visits it lets in, once Redis answers both instances. Thread-safe.
 */
final class HeldBack {
  private final Cache<String, Held> held;
  private final long holdNanos;
  private final int perSession;

  HeldBack(Duration holdFor, int perSession, long sessions) {
    this.holdNanos = holdFor.toNanos();
    this.perSession = perSession;
    this.held =
        Caffeine.newBuilder()
            .maximumSize(sessions)
            .expireAfterWrite(holdFor)
            .executor(Runnable::run)
            .build();
  }

  /** Returns the changes held back of the session, or null if none. */
  @Nullable List<DatedChange> of(String name) {
    Held h = held.getIfPresent(name);
    if (h == null) {
      return null;
    }
    long now = System.nanoTime();
    List<DatedChange> out = null;
    for (int i = 0; i < h.changes().size(); i++) {
      boolean expired = now - h.since()[i] >= holdNanos;
      if (expired && out == null) {
        out = new ArrayList<>(h.changes().subList(0, i));
      } else if (!expired && out != null) {
        out.add(h.changes().get(i));
      }
    }
    // those held longer than holdFor are no longer applied; the next update drops them
    return out == null ? h.changes() : out.isEmpty() ? null : out;
  }

  /** Returns whether changes of the session are held back. */
  boolean holds(String name) {
    return held.getIfPresent(name) != null;
  }

  /** Calls {@code each} with the name and key of every session with changes held back. */
  void forEach(BiConsumer<String, byte[]> each) {
    held.asMap().forEach((name, h) -> each.accept(name, h.key()));
  }

  /** Returns how many sessions have changes held back. */
  long sessions() {
    return held.estimatedSize();
  }

  /**
   * Notes what a write of the session did with changes held back: {@code tried}, those it applied
   * again (as returned by {@link #of}, or null), are no longer held unless they are in {@code
   * back}, the changes the state it kept held back ({@link DatedChange#kept}), or null. Held ones
   * it did not try (held back meanwhile) stay.
   */
  void update(
      String name,
      byte[] key,
      @Nullable List<DatedChange> tried,
      @Nullable List<DatedChange> back) {
    if (back == null && (tried == null || tried.isEmpty())) {
      return;
    }
    long now = System.nanoTime();
    held.asMap()
        .compute(
            name,
            (k, old) -> {
              List<DatedChange> changes = new ArrayList<>();
              List<Long> since = new ArrayList<>();
              if (old != null) {
                for (int i = 0; i < old.changes().size(); i++) {
                  DatedChange c = old.changes().get(i);
                  if ((tried == null || !containsSame(tried, c))
                      && now - old.since()[i] < holdNanos) {
                    changes.add(c);
                    since.add(old.since()[i]);
                  }
                }
              }
              if (back != null) {
                for (DatedChange c : back) {
                  if (containsSame(changes, c)) {
                    continue;
                  }
                  long first = old == null ? now : old.since(c, now);
                  if (now - first < holdNanos) {
                    changes.add(c);
                    since.add(first);
                  }
                }
              }
              int extra = Math.max(0, changes.size() - perSession);
              if (changes.size() == extra) {
                return null;
              }
              long[] times = new long[changes.size() - extra];
              for (int i = 0; i < times.length; i++) {
                times[i] = since.get(extra + i);
              }
              return new Held(key, List.copyOf(changes.subList(extra, changes.size())), times);
            });
  }

  private static boolean containsSame(List<DatedChange> changes, DatedChange c) {
    for (DatedChange d : changes) {
      if (d.equals(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A session's changes held back, and when each was first held back ({@link System#nanoTime()}).
   */
  // Never compared or hashed; the arrays are never changed.
  @SuppressWarnings("ArrayRecordComponent")
  private record Held(byte[] key, List<DatedChange> changes, long[] since) {
    /** Returns when {@code c} was first held back, if it is held; else {@code otherwise}. */
    long since(DatedChange c, long otherwise) {
      for (int i = 0; i < changes.size(); i++) {
        if (changes.get(i).equals(c)) {
          return since[i];
        }
      }
      return otherwise;
    }
  }
}
