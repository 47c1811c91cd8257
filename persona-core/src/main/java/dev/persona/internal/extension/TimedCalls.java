package dev.persona.internal.extension;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs user code with a time limit on a small pool of daemon threads, so that a call that stalls
 * costs its caller at most the limit. When every pool thread is held by stalled calls, further
 * calls are refused at once rather than queued. Thread-safe.
 */
public final class TimedCalls {
  private final long timeoutNanos;
  private final ThreadPoolExecutor pool;

  /**
   * @param timeoutNanos how long a call may take, positive
   * @param maxThreads the most calls that may run, or hang, at once
   */
  public TimedCalls(long timeoutNanos, int maxThreads) {
    this.timeoutNanos = timeoutNanos;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            0,
            maxThreads,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "persona-timed-call-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** What became of a call that did not return normally. */
  public enum Failure {
    /** It did not return within the limit; it was interrupted. */
    TIMED_OUT,
    /** Every thread was busy with earlier calls; it was not run. */
    REFUSED
  }

  /** Thrown when a call timed out or was refused. */
  public static final class CallFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Failure failure;

    CallFailed(Failure failure) {
      super(failure == Failure.TIMED_OUT ? "timed out" : "refused: every thread is busy", null);
      this.failure = failure;
    }

    public Failure failure() {
      return failure;
    }
  }

  /**
   * Runs {@code call} and returns its result.
   *
   * @throws CallFailed if it timed out or could not be run
   * @throws RuntimeException whatever the call threw, unwrapped
   */
  public <T> T call(Callable<T> call) {
    Future<T> f;
    try {
      f = pool.submit(call);
    } catch (RejectedExecutionException e) {
      throw new CallFailed(Failure.REFUSED);
    }
    try {
      return f.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new CallFailed(Failure.TIMED_OUT);
    } catch (InterruptedException e) {
      f.cancel(true);
      Thread.currentThread().interrupt();
      throw new CallFailed(Failure.TIMED_OUT);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Stops the idle threads; calls still hanging keep theirs until they return. */
  public void close() {
    pool.shutdownNow();
  }
}
