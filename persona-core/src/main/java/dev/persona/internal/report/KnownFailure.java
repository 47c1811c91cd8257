package dev.persona.internal.report;

/**
 * A failure the engine describes itself, such as a call of user code that timed out. Its message is
 * made by the engine, holds no request data, and reads after the component's name ("timed out after
 * 50 ms; the decision went on without it"): {@link ThrottledLog} logs it as it is, without a stack
 * trace. It has no stack trace and no suppressed exceptions, so one instance may be thrown again
 * and again. Immutable and thread-safe.
 */
public class KnownFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened, after the component's name; no request data
   */
  public KnownFailure(String message) {
    super(message, null, false, false);
  }
}
