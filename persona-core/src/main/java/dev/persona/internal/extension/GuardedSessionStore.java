package dev.persona.internal.extension;

import dev.persona.Decision;
import dev.persona.internal.report.Fatal;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.session.SessionData;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SessionStoreException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A session store of your own as the decision pipeline calls it, beside {@link TimedSessionStore}
 * which bounds its calls in time: a failure becomes a value. Every call that throws is counted and
 * logged (throttled); a read or update that fails gives the request the store's fallback (a {@link
 * SessionStoreException}'s last known state, flagged {@link Decision.Flag#STORE_DEGRADED}) or
 * nothing ({@link Decision.Flag#STORE_FAILED}), to which the caller applies the request's change,
 * so that the decision still sees this request's behaviour. Thread-safe if the store is.
 */
public final class GuardedSessionStore {
  private static final String COMPONENT = "session store";

  private static final String LOCAL_COPY =
      "the session store could not serve the session; the decision went on with the store's local"
          + " copy of it, which may be stale";
  private static final String NO_COPY =
      "the session store could not serve the session and had no local copy; the decision went on"
          + " with this request's behaviour only";
  private static final String CHANGE_LEFT =
      "; whether this request's change is written later is up to the store";

  private final SessionStore store;
  private final ThrottledLog log;
  private final LongAdder failures = new LongAdder();

  public GuardedSessionStore(SessionStore store, ThrottledLog log) {
    this.store = store;
    this.log = log;
  }

  /** Returns how many store calls threw, timed out or were refused a thread. */
  public long failures() {
    return failures.sum();
  }

  /**
   * Applies {@code change} to the stored state and stores the result.
   *
   * @throws Unavailable when the store failed (counted, logged and flagged), with the state the
   *     caller applies its change to instead: the fallback, or none. The caller applies it, not
   *     this method: a failure path that used the change would keep it from being scalar-replaced,
   *     and cost every request an allocation.
   */
  public SessionData update(
      String sessionId, UnaryOperator<@Nullable SessionState> change, InputReport report) {
    try {
      if (store.update(sessionId, change) instanceof SessionData stored) {
        return stored;
      }
      throw new IllegalStateException("the session store returned a state the engine did not make");
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      throw new Unavailable(fallback(e, report, true));
    }
  }

  /**
   * Returns the stored state, for a change that is not to be stored; when the store fails, the
   * failure is counted, logged and flagged, and the store's fallback, or null, is returned.
   */
  public @Nullable SessionState read(String sessionId, InputReport report) {
    try {
      return store.get(sessionId);
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      return fallback(e, report, false);
    }
  }

  /** Returns the stored state, or the store's fallback when it fails, without flagging. */
  public @Nullable SessionState get(String sessionId) {
    try {
      return store.get(sessionId);
    } catch (SessionStoreException e) {
      failed(e);
      return e.fallback();
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      failed(e);
      return null;
    }
  }

  /**
   * Applies a change to the stored state; a failure is counted and logged only.
   *
   * @return the new state, or null when there is none or the store failed
   */
  public @Nullable SessionState update(
      String sessionId, UnaryOperator<@Nullable SessionState> change) {
    try {
      return store.update(sessionId, change);
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      failed(e);
      return null;
    }
  }

  /** Links the session to a signed-in user in the store; a failure is counted and logged only. */
  public void linkUser(String userId, String sessionId) {
    try {
      store.linkUser(userId, sessionId);
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      failed(e);
    }
  }

  /** Removes the stored state; a failure is counted, logged and flagged. */
  public void remove(String sessionId, InputReport report) {
    try {
      store.remove(sessionId);
    } catch (RuntimeException | Error e) {
      Fatal.rethrowIfFatal(e);
      failed(e);
      report.flag(Decision.Flag.STORE_FAILED, what(e) + "; the session was not dropped");
    }
  }

  /**
   * Counts, logs and flags a failed read or update.
   *
   * @param changed whether the call handed the store this request's change
   */
  private @Nullable SessionState fallback(Throwable e, InputReport report, boolean changed) {
    failed(e);
    if (e instanceof SessionStoreException degraded) {
      SessionState local = degraded.fallback();
      report.flag(
          Decision.Flag.STORE_DEGRADED,
          local == null
              ? (changed ? NO_COPY + CHANGE_LEFT : NO_COPY)
              : (changed ? LOCAL_COPY + CHANGE_LEFT : LOCAL_COPY));
      return local;
    }
    report.flag(Decision.Flag.STORE_FAILED, what(e) + "; only this request's behaviour is used");
    return null;
  }

  private void failed(Throwable e) {
    failures.increment();
    if (e instanceof SessionStoreException) {
      log.failure(COMPONENT, e, "the decision went on with the store's local copy of the session");
    } else {
      log.failure(COMPONENT, e);
    }
  }

  /** Says how a store call failed: it threw, or it timed out or was refused a thread. */
  private static String what(Throwable e) {
    return e instanceof TimedCalls.CallFailed f
        ? "the session store " + f.what()
        : "the session store failed";
  }

  /**
   * The store could not apply a change; the request goes on with {@link #fallback()}. Made by
   * {@link GuardedSessionStore#update} for its caller only, without a stack trace.
   */
  public static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Not serialized: a fallback belongs to the process that knew it. */
    private final transient @Nullable SessionState fallback;

    Unavailable(@Nullable SessionState fallback) {
      super("the session store is unavailable", null, false, false);
      this.fallback = fallback;
    }

    /** Returns the state to apply the request's change to: the store's fallback, or null. */
    public @Nullable SessionState fallback() {
      return fallback;
    }
  }
}
