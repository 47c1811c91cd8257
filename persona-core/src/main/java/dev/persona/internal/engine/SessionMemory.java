package dev.persona.internal.engine;

import dev.persona.internal.extension.GuardedSessionStore;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import java.time.Clock;
import java.util.List;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * What the engine remembers of sessions, and of which sessions a signed-in user had: applies each
 * request's behaviour to its session through the {@link GuardedSessionStore}, ignores state idle
 * for longer than the timeout, and erases. Thread-safe.
 */
final class SessionMemory {
  private final SessionStore store;
  private final GuardedSessionStore guarded;
  private final UserSessions users;
  private final SessionUpdate update;
  private final long idleMillis;
  private final Clock clock;

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
      Clock clock) {
    this.store = store;
    this.guarded = guarded;
    this.users = users;
    this.update = update;
    this.idleMillis = idleMillis;
    this.clock = clock;
  }

  /**
   * Returns the session with the request's activity applied. A bot's behaviour is applied to what
   * is stored but not stored; a signed-in user's session is linked to the user.
   */
  SessionData visit(
      String sessionId, @Nullable String userId, Activity activity, boolean bot, InputReport r) {
    long now = activity.atMillis();
    if (bot) {
      return update.apply(usable(guarded.read(sessionId, r), now), activity, now);
    }
    if (userId != null) {
      users.link(userId, sessionId);
      guarded.linkUser(userId, sessionId);
    }
    try {
      // the store may apply the change again, later: the clock is read when it does
      return guarded.update(
          sessionId,
          old -> update.apply(usable(old, activity.atMillis()), activity, clock.millis()),
          r);
    } catch (GuardedSessionStore.Unavailable u) {
      return update.apply(usable(u.fallback(), now), activity, now);
    }
  }

  /** Returns the session's stored state, or the store's fallback; null when there is none. */
  @Nullable SessionData stored(String sessionId) {
    return guarded.get(sessionId) instanceof SessionData d ? d : null;
  }

  /** Drops the session's state, as consent withdrawn asks; a failure is flagged. */
  void drop(String sessionId, InputReport report) {
    guarded.remove(sessionId, report);
  }

  /** Applies a change to the session's state; a failure is counted and logged. */
  void change(String sessionId, UnaryOperator<@Nullable SessionState> change) {
    guarded.update(sessionId, change);
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

  private @Nullable SessionData usable(@Nullable SessionState old, long nowMillis) {
    return old instanceof SessionData d && nowMillis - d.lastSeenMillis() <= idleMillis ? d : null;
  }
}
