package dev.persona.internal.engine;

import dev.persona.internal.experiment.Buckets;
import dev.persona.internal.extension.GuardedSessionStore;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Identity;
import dev.persona.internal.session.InMemorySessionStore;
import dev.persona.internal.session.ProfileUpdate;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.Timeline;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import org.jspecify.annotations.Nullable;

/**
 * The users' profiles: one {@link SessionData} per signed-in user, kept in a {@link SessionStore}
 * under the user id, to which each signed-in visit's change goes after its session's ({@link
 * ProfileUpdate}), and from which the visit's signals take the user's cart, products, declared
 * attributes, visits and long-term affinities. Thread-safe.
 */
final class Profiles {
  private final SessionStore store;
  private final GuardedSessionStore guarded;
  private final ProfileUpdate update;
  private final long ttlMillis;
  private final Timeline time;

  /**
   * @param store the store as configured, for erasure, which must not be guarded
   * @param guarded the same store as the pipeline calls it
   */
  Profiles(
      SessionStore store,
      GuardedSessionStore guarded,
      ProfileUpdate update,
      long ttlMillis,
      Timeline time) {
    this.store = store;
    this.guarded = guarded;
    this.update = update;
    this.ttlMillis = ttlMillis;
    this.time = time;
  }

  /** Returns the key a signed-in visit's {@link Activity} carries for the user. */
  static long key(String userId) {
    return Buckets.userKey(userId);
  }

  /**
   * Applies a signed-in visit to the user's profile and returns the profile after it: the store's,
   * or, when the store fails (counted, logged and flagged), its fallback with the visit applied.
   * Null when the visit did not change the session as the user's (a visit applied late, from before
   * the session's last change of identity).
   *
   * @param session the visit's session after the visit
   */
  @Nullable SessionData visit(
      String userId, SessionData session, Activity activity, InputReport report) {
    Identity id = session.identity();
    if (id == null || id.token() == 0 || id.user() != activity.user()) {
      return null;
    }
    long at = activity.atMillis();
    try {
      return guarded.update(
          userId,
          old -> update.apply(usable(old, at), session, activity, time.wallMillis()),
          report);
    } catch (GuardedSessionStore.Unavailable u) {
      return update.apply(usable(u.fallback(), at), session, activity, at);
    }
  }

  /**
   * Replaces the user's profile with a denial of consent at {@code atMillis}, which holds for every
   * session of the user until consent is granted again: nothing else of the profile is kept. A
   * failure is flagged.
   */
  void deny(String userId, long atMillis, InputReport report) {
    try {
      guarded.update(userId, old -> update.denied(usable(old, atMillis), atMillis), report);
    } catch (GuardedSessionStore.Unavailable u) {
      // counted, logged and flagged; the session keeps the denial, and the next one is written
    }
  }

  /**
   * Returns the consent the user's profile holds at {@code nowMillis}, {@code granted} or {@code
   * denied}, or null when it holds none or there is no profile: read from the store (for a shared
   * store, from its local copy when that is known current), a failure counted, logged and flagged,
   * and the store's fallback used.
   */
  @Nullable Object consent(String userId, long nowMillis, InputReport report) {
    SessionData d = usable(guarded.read(userId, report), nowMillis);
    return d == null ? null : d.consent();
  }

  /**
   * Returns the profile a decision at {@code wallMillis} would start from, without changing
   * anything: read from the in-memory store without telling it of an access, from another store
   * with its plain read (a failure counted, its fallback used); null when there is none, or when it
   * is older than the time to live. A denial of consent is returned as it is stored: the denial
   * alone.
   */
  @Nullable SessionData look(String userId, long wallMillis) {
    SessionState s =
        store instanceof InMemorySessionStore own ? own.peek(userId) : guarded.get(userId);
    return usable(s, wallMillis);
  }

  /** Returns the weight now of something the profile observed {@code ageMillis} ago. */
  double weight(long ageMillis) {
    return update.weight(ageMillis);
  }

  /** Returns the number of profile store calls that failed. */
  long failures() {
    return guarded.failures();
  }

  /**
   * Erases the user's profile, waiting for the store without a time limit.
   *
   * @throws RuntimeException whatever the store throws
   */
  void forget(String userId) {
    store.remove(userId);
  }

  private @Nullable SessionData usable(@Nullable SessionState old, long nowMillis) {
    return old instanceof SessionData d && nowMillis - d.lastSeenMillis() <= ttlMillis ? d : null;
  }
}
