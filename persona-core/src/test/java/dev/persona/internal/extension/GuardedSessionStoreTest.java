package dev.persona.internal.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.persona.Decision;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.SessionData;
import dev.persona.internal.session.SessionUpdate;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.CapturedLog;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * Every way a session store can fail is counted once and flagged, and the request gets the store's
 * fallback, or nothing, to apply its change to.
 */
final class GuardedSessionStoreTest {
  private static final SessionUpdate UPDATE = new SessionUpdate(3_600_000, 16, 32, 32, 60_000);

  private final ThrottledLog log = new ThrottledLog(NOPLogger.NOP_LOGGER, 60_000);
  private final SessionData known = UPDATE.apply(null, Activity.of(1_000, new long[0], Map.of()));

  @Test
  void aWorkingStore_storesTheChange_andIsNotFlagged() {
    SessionStore store = SessionStore.inMemory(10, java.time.Duration.ofHours(1));
    store.update("s", old -> known);
    GuardedSessionStore guarded = new GuardedSessionStore(store, log);
    InputReport report = new InputReport();

    SessionData after = guarded.update("s", this::oneMoreRequest, report);

    assertThat(after.requests()).isEqualTo(2);
    assertThat(guarded.read("s", report)).isEqualTo(after);
    assertThat(store.get("s")).isEqualTo(after);
    assertThat(report.flags()).isEmpty();
    assertThat(guarded.failures()).isZero();
  }

  @Test
  void aDegradedStore_givesItsFallbackWithTheChange_flaggedDegraded() {
    GuardedSessionStore guarded =
        new GuardedSessionStore(failing(new SessionStoreException("slow", null, known)), log);
    InputReport report = new InputReport();

    SessionState fallback = fallbackOfUpdate(guarded, report);
    SessionState read = guarded.read("s", report);

    assertThat(fallback).isEqualTo(known);
    assertThat(read).isEqualTo(known);
    assertThat(guarded.get("s")).isEqualTo(known);
    assertThat(report.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
    assertThat(guarded.failures()).isEqualTo(3);
  }

  @Test
  void aDegradedStore_isLogged_asGoingOnWithItsLocalCopy() {
    ThrottledLog logged = new ThrottledLog(LoggerFactory.getLogger("dev.persona.engine"), 60_000);
    GuardedSessionStore guarded =
        new GuardedSessionStore(failing(new SessionStoreException("slow", null, known)), logged);

    String lines = CapturedLog.during(() -> guarded.read("s", new InputReport()));

    assertThat(lines)
        .contains(
            "session store failed with dev.persona.spi.SessionStoreException; the decision went on"
                + " with the store's local copy of the session");
  }

  @Test
  void aFailingStore_givesOnlyTheChange_flaggedFailed_andSaysWhy() {
    GuardedSessionStore guarded =
        new GuardedSessionStore(failing(new IllegalStateException("broken")), log);
    InputReport report = new InputReport();

    SessionState fallback = fallbackOfUpdate(guarded, report);
    guarded.remove("s", report);

    assertThat(fallback).isNull();
    assertThat(guarded.get("s")).isNull();
    assertThat(report.flags()).containsExactly(Decision.Flag.STORE_FAILED);
    assertThat(report.reasons())
        .extracting(r -> r.text())
        .containsExactly(
            "the session store failed; only this request's behaviour is used",
            "the session store failed; the session was not dropped");
    assertThat(guarded.failures()).isEqualTo(3);
  }

  @Test
  void aStoreThatAnswersAForeignState_isAFailure() {
    SessionState foreign =
        new SessionState() {
          @Override
          public java.time.Instant lastSeen() {
            return java.time.Instant.EPOCH;
          }

          @Override
          public byte[] toBytes() {
            return new byte[0];
          }
        };
    GuardedSessionStore guarded = new GuardedSessionStore(answering(foreign), log);
    InputReport report = new InputReport();

    assertThat(fallbackOfUpdate(guarded, report)).isNull();
    assertThat(report.flags()).containsExactly(Decision.Flag.STORE_FAILED);
  }

  @Test
  void aChangeWithoutAFlag_isCountedOnly() {
    GuardedSessionStore guarded =
        new GuardedSessionStore(failing(new IllegalStateException("broken")), log);

    guarded.update("s", old -> old);

    assertThat(guarded.failures()).isEqualTo(1);
  }

  /** The change of a second request: one more request than the state it is applied to. */
  private SessionData oneMoreRequest(@Nullable SessionState old) {
    return UPDATE.apply(
        old instanceof SessionData d ? d : null, Activity.of(2_000, new long[0], Map.of()));
  }

  private @Nullable SessionState fallbackOfUpdate(GuardedSessionStore guarded, InputReport r) {
    Throwable thrown = catchThrowable(() -> guarded.update("s", this::oneMoreRequest, r));
    assertThat(thrown).isInstanceOf(GuardedSessionStore.Unavailable.class);
    return ((GuardedSessionStore.Unavailable) thrown).fallback();
  }

  private static SessionStore failing(RuntimeException e) {
    return new SessionStore() {
      @Override
      public @Nullable SessionState get(String sessionId) {
        throw e;
      }

      @Override
      public @Nullable SessionState update(
          String sessionId, UnaryOperator<@Nullable SessionState> change) {
        throw e;
      }

      @Override
      public void remove(String sessionId) {
        throw e;
      }
    };
  }

  private static SessionStore answering(SessionState state) {
    return new SessionStore() {
      @Override
      public @Nullable SessionState get(String sessionId) {
        return state;
      }

      @Override
      public @Nullable SessionState update(
          String sessionId, UnaryOperator<@Nullable SessionState> change) {
        return state;
      }

      @Override
      public void remove(String sessionId) {}
    };
  }
}
