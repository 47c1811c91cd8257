package dev.persona.internal.engine;

import dev.persona.internal.experiment.Attribution;
import dev.persona.internal.extension.GuardedSessionStore;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Assignments;
import dev.persona.internal.session.Conversions;
import dev.persona.internal.session.InMemorySessionStore;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.internal.session.Timeline;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the engine remembers of sessions, and of which sessions a signed-in user had: applies each
 * request's behaviour to its session through the {@link GuardedSessionStore}, ignores state idle
 * for longer than the timeout, and erases. The changes of visits with purchases or adds to cart,
 * and of exposures, make {@link Attribution}'s credits: from the states the store kept, when it
 * {@linkplain SessionStore#tellsKept tells} which; otherwise wherever the store applies them.
 * Thread-safe.
 *
 * <p>A state is idle when its last visit is older than the idle timeout by the visit's time. A
 * state whose last visit is ahead of the wall clock by more than the clock tolerance, but not
 * beyond the latest wall time this instance read, may have been stamped by this instance before its
 * clock stepped back: it is idle when more than the idle timeout passed since then on the {@link
 * Timeline}, as if this instance had stamped it (the conservative guess: a state another instance
 * stamped with a clock running ahead may be judged idle too soon, never too late). A state ahead
 * beyond the latest wall time read was stamped by another instance whose clock runs ahead: its idle
 * time cannot be known, it is used and its clock brought back (see {@link SessionUpdate}).
 */
final class SessionMemory {
  /** No state is stale for being ahead of the clock. */
  private static final long NONE = Long.MIN_VALUE;

  private final SessionStore store;
  private final GuardedSessionStore guarded;
  private final UserSessions users;
  private final SessionUpdate update;
  private final long idleMillis;
  private final long toleranceMillis;
  private final Timeline time;
  private final Attribution attribution;

  /** Whether the store tells changes which of their applications it kept: credits are made then. */
  private final boolean tellsKept;

  /**
   * @param store the store as configured, for erasure, which must not be guarded
   * @param guarded the same store as the pipeline calls it
   */
  SessionMemory(
      SessionStore store,
      GuardedSessionStore guarded,
      UserSessions users,
      SessionUpdate update,
      long idleMillis,
      long toleranceMillis,
      Timeline time,
      Attribution attribution) {
    this.store = store;
    this.guarded = guarded;
    this.users = users;
    this.update = update;
    this.idleMillis = idleMillis;
    this.toleranceMillis = toleranceMillis;
    this.time = time;
    this.attribution = attribution;
    this.tellsKept = store.tellsKept();
  }

  /**
   * Returns the session with the request's activity applied. A bot's behaviour is applied to what
   * is stored but not stored; a signed-in user's session is linked to the user. The visit's
   * purchases and adds to cart are credited to the exposures before them ({@link Visiting}).
   *
   * @param conversions the visit's purchases and adds to cart, or null for none
   * @param assigned the arms the visit gives in sticky experiments, or null for none
   * @param wallMillis the engine's wall clock at this request
   */
  SessionData visit(
      String sessionId,
      @Nullable String userId,
      Activity activity,
      @Nullable Conversions conversions,
      @Nullable Assignments assigned,
      boolean bot,
      long wallMillis,
      InputReport r) {
    long now = activity.atMillis();
    long aheadFrom = wallMillis + toleranceMillis;
    long aheadTo = staleAheadTo(aheadFrom);
    if (bot) {
      return update.apply(
          usable(guarded.read(sessionId, r), now, aheadFrom, aheadTo),
          activity,
          null,
          assigned,
          now);
    }
    if (userId != null) {
      users.link(userId, sessionId);
      guarded.linkUser(userId, sessionId);
    }
    if (conversions == null && !tellsKept) {
      // the usual visit on a store that holds nothing back (the in-memory one): a plain function,
      // lighter than a Visiting
      try {
        // the store may apply the change again, later: the clock is read when it does
        return aheadTo == NONE
            ? guarded.update(
                sessionId,
                old ->
                    update.apply(
                        usable(old, activity.atMillis()),
                        activity,
                        null,
                        assigned,
                        time.wallMillis()),
                r)
            : guarded.update(
                sessionId,
                old ->
                    update.apply(
                        usable(old, activity.atMillis(), aheadFrom, aheadTo),
                        activity,
                        null,
                        assigned,
                        time.wallMillis()),
                r);
      } catch (GuardedSessionStore.Unavailable u) {
        return update.apply(
            usable(u.fallback(), now, aheadFrom, aheadTo), activity, null, assigned, now);
      }
    }
    Visiting change =
        new Visiting(sessionId, activity, conversions, assigned, aheadFrom, aheadTo, NONE);
    SessionData next;
    try {
      // the store may apply the change again, later: the clock is read when it does
      next = guarded.update(sessionId, change, r);
    } catch (GuardedSessionStore.Unavailable u) {
      next =
          update.apply(
              usable(u.fallback(), now, aheadFrom, aheadTo), activity, conversions, assigned, now);
    } finally {
      if (conversions != null) {
        change.returned(); // only credits ask whether it was applied in this call
      }
    }
    if (conversions != null) {
      if (!tellsKept) {
        attribution.visited(sessionId, next, conversions, true);
      }
      attribution.flush();
    }
    return next;
  }

  /**
   * A visit's change of its session's state. The attribution credits of a visit with purchases or
   * adds to cart are made from the states the store kept, when it {@linkplain
   * SessionStore#tellsKept tells} which. With another store: from the state the decision uses (the
   * one the store returns, or its fallback), and where the store applies the change later, or on
   * another thread, from the state it makes there; not from the states the store applies it to
   * during the call: the store may apply it to a copy it does not keep, which may even hold what
   * another instance erased.
   *
   * <p>A visit that a denial of consent made before it held back ({@link #heldBack}) may be let in
   * by a grant made in between, written later by another instance: a shared store applies the
   * change {@code heldBack} returns again, which, with {@code deniedAt} set, lets itself in only on
   * such a grant ({@link SessionUpdate#letsIn}).
   */
  private final class Visiting extends Change {
    private final String sessionId;
    private final Activity activity;
    private final @Nullable Conversions conversions;
    private final @Nullable Assignments assigned;
    private final long aheadFrom;
    private final long aheadTo;

    /** When the denial that held this visit back was made; {@link #NONE} for the visit itself. */
    private final long deniedAt;

    Visiting(
        String sessionId,
        Activity activity,
        @Nullable Conversions conversions,
        @Nullable Assignments assigned,
        long aheadFrom,
        long aheadTo,
        long deniedAt) {
      this.sessionId = sessionId;
      this.activity = activity;
      this.conversions = conversions;
      this.assigned = assigned;
      this.aheadFrom = aheadFrom;
      this.aheadTo = aheadTo;
      this.deniedAt = deniedAt;
    }

    @Override
    public @Nullable SessionState apply(@Nullable SessionState old) {
      long at = activity.atMillis();
      SessionData d = aheadTo == NONE ? usable(old, at) : usable(old, at, aheadFrom, aheadTo);
      if (deniedAt != NONE && (d == null || !SessionUpdate.letsIn(d, activity, deniedAt))) {
        return old; // still held back by the denial, or made under it
      }
      SessionData next = update.apply(d, activity, conversions, assigned, time.wallMillis());
      if (conversions != null && !tellsKept && appliedElsewhere()) {
        // also where the state holds the change already: it may have got there in a call whose
        // answer was lost, so that no one credited it
        attribution.visited(sessionId, next, conversions, false);
      }
      return next;
    }

    @Override
    public void kept(@Nullable SessionState state) {
      if (conversions != null
          && tellsKept
          && state instanceof SessionData d
          && !d.consentDenied()
          // let in again, or dropped for good (made under the denial)
          && (deniedAt == NONE || d.applied(activity.id()))) {
        attribution.visited(sessionId, d, conversions, !appliedElsewhere());
      }
    }

    @Override
    public SessionStore.@Nullable Change heldBack(@Nullable SessionState state) {
      long by = SessionUpdate.heldBy(state instanceof SessionData d ? d : null, activity);
      if (by == NONE) {
        return null;
      }
      if (by == deniedAt) {
        return this;
      }
      Visiting again =
          new Visiting(sessionId, activity, conversions, assigned, aheadFrom, aheadTo, by);
      again.returned(); // applied by the store, never in the call that made the visit
      return again;
    }
  }

  /**
   * Records an exposure in the session's state, crediting it with the conversions there after it:
   * in the states the store kept that hold it, when the store {@linkplain SessionStore#tellsKept
   * tells} which; with another store, in the state it returns, or in those it makes when it applies
   * the change later or on another thread. A session with no state gets one holding the exposure
   * only when {@code tracked} (its decision kept the visit, whose own change may not have reached a
   * shared store yet); otherwise nothing is stored for it. {@code decision} is the id of the
   * decision it showed, as {@link Exposures#decisionTag} keeps it, which its credits carry. A
   * failure is counted and logged.
   */
  void expose(
      String sessionId,
      String placement,
      String variant,
      @Nullable String segment,
      String tag,
      String decision,
      long atMillis,
      boolean tracked) {
    long window = attribution.windowMillis();
    Change change =
        new Change() {
          @Override
          public @Nullable SessionState apply(@Nullable SessionState old) {
            SessionData d;
            if (old instanceof SessionData held) {
              d = held;
            } else if (old == null && tracked) {
              d = SessionData.fresh(atMillis);
            } else {
              return old;
            }
            if (d.consentDenied()) {
              return old; // under a denial of consent, nothing but the denial is stored
            }
            SessionData next =
                d.withExposure(placement, variant, segment, atMillis, tag, decision, window);
            if (!tellsKept && appliedElsewhere()) { // also where the state holds it already
              attribution.exposed(
                  sessionId, next, placement, variant, segment, tag, decision, atMillis, false);
            }
            return next;
          }

          @Override
          public void kept(@Nullable SessionState state) {
            if (tellsKept
                && state instanceof SessionData d
                && d.exposures().contains(placement, variant, segment, atMillis, tag, decision)) {
              attribution.exposed(
                  sessionId,
                  d,
                  placement,
                  variant,
                  segment,
                  tag,
                  decision,
                  atMillis,
                  !appliedElsewhere());
            }
          }
        };
    SessionState next;
    try {
      next = guarded.update(sessionId, change);
    } finally {
      change.returned();
    }
    if (!tellsKept && next instanceof SessionData d) {
      attribution.exposed(sessionId, d, placement, variant, segment, tag, decision, atMillis, true);
    }
    attribution.flush();
  }

  /**
   * Returns the state a decision at {@code wallMillis} would start from, without changing anything:
   * read from the in-memory store without telling it of an access, from another store with its
   * plain read (a failure counted, its fallback used); null when there is none, or when it is idle
   * beyond the timeout. A denial of consent is returned as it is stored: the denial alone.
   */
  @Nullable SessionData look(String sessionId, long wallMillis) {
    SessionState s =
        store instanceof InMemorySessionStore own ? own.peek(sessionId) : guarded.get(sessionId);
    long aheadFrom = wallMillis + toleranceMillis;
    return usable(s, wallMillis, aheadFrom, staleAheadTo(aheadFrom));
  }

  /** Returns the weight at the time of a look of a count a state holds at its own clock. */
  double weight(long ageMillis) {
    return update.weight(ageMillis);
  }

  /** Returns the session's stored state, or the store's fallback; null when there is none. */
  @Nullable SessionData stored(String sessionId) {
    return guarded.get(sessionId) instanceof SessionData d ? d : null;
  }

  /**
   * Returns the session's stored state, or the store's fallback, unless it is idle beyond the
   * timeout at {@code nowMillis}, as an update at that time finds it; null when there is none.
   */
  @Nullable SessionData storedActive(String sessionId, long nowMillis) {
    return usable(guarded.get(sessionId), nowMillis);
  }

  /**
   * Drops the session's state, as a request that may not be tracked asks, unless it holds a denial
   * of consent: that is kept (its time of last visit brought forward), so that the denial outlasts
   * the request. A failure is flagged.
   */
  void drop(String sessionId, long atMillis, InputReport report) {
    SessionData stored = stored(sessionId);
    if (stored != null && stored.consentDenied()) {
      keepDenial(sessionId, atMillis, report);
    } else {
      guarded.remove(sessionId, report);
    }
  }

  /**
   * Replaces the session's state with a denial of consent at {@code atMillis}, which holds for the
   * session until consent is granted again: nothing else of the session is kept. Unless the session
   * holds a denial already, its state is erased first, as {@code Sec-GPC} erases it, and the denial
   * kept after: so a shared store ranks every state from before the denial below it, as it ranks
   * states from before an erasure (a copy another instance writes back after the store lost its
   * data, or a change applied late). A failure is flagged.
   */
  void deny(String sessionId, long atMillis, InputReport report) {
    SessionData stored = stored(sessionId);
    if (stored == null || !stored.consentDenied()) {
      guarded.remove(sessionId, report);
    }
    keepDenial(sessionId, atMillis, report);
  }

  /**
   * Replaces the session's state with a denial of consent at {@code atMillis}; see {@link #deny}.
   */
  private void keepDenial(String sessionId, long atMillis, InputReport report) {
    try {
      guarded.update(sessionId, old -> update.denied(usable(old, atMillis), atMillis), report);
    } catch (GuardedSessionStore.Unavailable u) {
      // counted, logged and flagged; the next request's denial or a stored one applies
    }
  }

  /**
   * Erases the session's state, waiting for the store without a time limit.
   *
   * @throws RuntimeException whatever the store throws
   */
  void forget(String sessionId) {
    store.remove(sessionId);
  }

  /**
   * Erases the sessions of a signed-in user: those this engine served, and those the store linked
   * to the user on any instance.
   *
   * @return how many sessions were erased: the larger of the two counts, since they overlap
   * @throws RuntimeException whatever the store throws
   */
  int forgetUser(String userId) {
    List<String> sessions = users.remove(userId);
    RuntimeException failed = null;
    for (String s : sessions) {
      try {
        store.remove(s);
      } catch (RuntimeException e) {
        failed = e; // erase the others all the same
      }
    }
    int linked = store.removeUser(userId);
    if (failed != null) {
      throw failed;
    }
    return Math.max(sessions.size(), linked);
  }

  /** Returns the number of store calls that failed. */
  long failures() {
    return guarded.failures();
  }

  /**
   * Returns the latest last visit that is stale though ahead of the wall clock: last visits after
   * {@code aheadFrom} and up to the returned time may have been stamped by this instance before its
   * clock stepped back, more than the idle timeout ago by the {@link Timeline}; {@link #NONE} when
   * there are none, as whenever the clock has not stepped back by more than the tolerance.
   *
   * @param aheadFrom the wall clock plus the tolerance
   */
  private long staleAheadTo(long aheadFrom) {
    long latest = time.latestWall();
    if (latest <= aheadFrom) {
      return NONE;
    }
    long elapsed = time.millis();
    // stale: elapsed - lastSeen > idleMillis, so lastSeen < elapsed - idleMillis (without overflow)
    return elapsed - aheadFrom - 1 > idleMillis ? Math.min(latest, elapsed - idleMillis - 1) : NONE;
  }

  /**
   * A change that makes attribution credits: in {@link #kept} when the store tells which of its
   * applications it kept; otherwise where the store applies it beyond the call that made it, later
   * or on another thread (the caller credits from what its call returns).
   */
  private abstract static class Change implements SessionStore.Change {
    private final Thread caller = Thread.currentThread();
    private volatile boolean returned;

    /** Returns whether it is applied after the call that made it, or on another thread. */
    final boolean appliedElsewhere() {
      return returned || Thread.currentThread() != caller;
    }

    final void returned() {
      returned = true;
    }
  }

  private @Nullable SessionData usable(@Nullable SessionState old, long nowMillis) {
    return old instanceof SessionData d && nowMillis - d.lastSeenMillis() <= idleMillis ? d : null;
  }

  private @Nullable SessionData usable(
      @Nullable SessionState old, long nowMillis, long aheadFrom, long aheadTo) {
    SessionData d = usable(old, nowMillis);
    return d != null && d.lastSeenMillis() > aheadFrom && d.lastSeenMillis() <= aheadTo ? null : d;
  }
}
