package dev.persona.internal.engine;

import dev.persona.Reason;
import dev.persona.Visit;
import dev.persona.internal.context.PrivacyExtractor;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.signals.BuiltInSignals;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides which signals a visit's decision may use and store: everything, unless {@code Sec-GPC:
 * 1}, a declared {@code consent} of {@code denied}, or — when the engine requires consent — the
 * absence of a {@code granted} in the visit, earlier in the session or, for a signed-in visit, in
 * the user's profile limits it to the request's own signals. A denial declared earlier in the
 * session or the profile is found in the stored states as the visit is applied to them ({@link
 * dev.persona.internal.session.SessionUpdate}, {@link Profiles#visit}), without a read of its own;
 * when consent is required, it is found by the reads that look for a grant. Thread-safe.
 *
 * <p>The profile is read only when consent is required, the visit is signed in, and neither the
 * visit nor its session declared a consent: a session's own choice, a denial or a grant, is read
 * first, and a denial held by the profile also limits a session that granted (the most private of
 * the two holds, as the profile finds when the visit is applied to it).
 */
final class ConsentPolicy {
  private static final Reason GPC = reason("Sec-GPC: 1 asks not to be tracked");

  /** The reason of a request that declares consent denied. */
  static final Reason DENIED = reason("the shopper declared consent denied");

  /** The reason of a request of a session that declared consent denied before. */
  static final Reason DENIED_EARLIER =
      reason(
          "the shopper declared consent denied earlier, in this session or, signed in, in"
              + " another");

  /**
   * The reason of a signed-in request, consent required, of a session that declared none, whose
   * user's profile holds a denial.
   */
  static final Reason DENIED_BY_USER =
      reason("the signed-in shopper declared consent denied in another session");

  private static final Reason NOT_GRANTED = reason("consent is required and was not granted");

  private final boolean required;
  private final SessionMemory sessions;
  private final @Nullable Profiles profiles;

  /**
   * @param profiles the users' profiles, or null when the engine keeps none
   */
  ConsentPolicy(boolean required, SessionMemory sessions, @Nullable Profiles profiles) {
    this.required = required;
    this.sessions = sessions;
    this.profiles = profiles;
  }

  /**
   * Returns why only the request's signals may be used, or null when every signal may.
   *
   * @param declared the visit's declared attributes, as read
   * @param userId the signed-in user, or null for an anonymous visit
   * @param nowMillis the visit's time
   * @param report where a failure of the profile store is flagged
   */
  @Nullable Reason limit(
      Visit visit,
      Map<String, Object> declared,
      @Nullable String userId,
      long nowMillis,
      InputReport report) {
    if (PrivacyExtractor.isGpc(visit.headers().get("sec-gpc"))) {
      return GPC;
    }
    Object said = declared.get(BuiltInSignals.CONSENT);
    if (BuiltInSignals.DENIED.equals(said)) {
      return DENIED;
    }
    if (!required || BuiltInSignals.GRANTED.equals(said)) {
      return null;
    }
    Object earlier = earlier(visit.sessionId(), nowMillis);
    if (BuiltInSignals.GRANTED.equals(earlier)) {
      return null;
    }
    if (BuiltInSignals.DENIED.equals(earlier)) {
      return DENIED_EARLIER;
    }
    if (userId != null && profiles != null) {
      Object kept = profiles.consent(userId, nowMillis, report);
      if (BuiltInSignals.GRANTED.equals(kept)) {
        return null;
      }
      if (BuiltInSignals.DENIED.equals(kept)) {
        return DENIED_BY_USER;
      }
    }
    return NOT_GRANTED;
  }

  /**
   * Returns the consent the session declared last, or null; null too when the session is idle
   * beyond the timeout at the visit's time, as the visit then starts a new one.
   */
  private @Nullable Object earlier(String sessionId, long nowMillis) {
    SessionData stored = sessions.storedActive(sessionId, nowMillis);
    return stored == null ? null : stored.consent();
  }

  private static Reason reason(String why) {
    return Reason.of(
        Reason.Kind.CONSENT,
        "consent: " + why + "; only this request's signals are used and nothing is stored");
  }
}
