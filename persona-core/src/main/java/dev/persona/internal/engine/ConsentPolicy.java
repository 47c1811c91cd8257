package dev.persona.internal.engine;

import dev.persona.Reason;
import dev.persona.Visit;
import dev.persona.internal.context.PrivacyExtractor;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.signals.BuiltInSignals;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Decides which signals a visit's decision may use and store: everything, unless {@code Sec-GPC:
 * 1}, a declared {@code consent} of {@code denied}, or — when the engine requires consent — the
 * absence of a {@code granted} in the visit or earlier in the session limits it to the request's
 * own signals. A denial declared earlier in the session is found in the stored state as the visit
 * is applied to it ({@link dev.persona.internal.session.SessionUpdate}), without a read of its own.
 * Thread-safe.
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

  private static final Reason NOT_GRANTED = reason("consent is required and was not granted");

  private final boolean required;
  private final SessionMemory sessions;

  ConsentPolicy(boolean required, SessionMemory sessions) {
    this.required = required;
    this.sessions = sessions;
  }

  /**
   * Returns why only the request's signals may be used, or null when every signal may.
   *
   * @param declared the visit's declared attributes, as read
   */
  @Nullable Reason limit(Visit visit, Map<String, Object> declared) {
    if (PrivacyExtractor.isGpc(visit.headers().get("sec-gpc"))) {
      return GPC;
    }
    Object said = declared.get(BuiltInSignals.CONSENT);
    if (BuiltInSignals.DENIED.equals(said)) {
      return DENIED;
    }
    if (!required || BuiltInSignals.GRANTED.equals(said) || grantedEarlier(visit.sessionId())) {
      return null;
    }
    return NOT_GRANTED;
  }

  private boolean grantedEarlier(String sessionId) {
    SessionData stored = sessions.stored(sessionId);
    return stored != null
        && BuiltInSignals.GRANTED.equals(stored.declared().get(BuiltInSignals.CONSENT));
  }

  private static Reason reason(String why) {
    return Reason.of(
        Reason.Kind.CONSENT,
        "consent: " + why + "; only this request's signals are used and nothing is stored");
  }
}
