package dev.persona.internal.extension;

import dev.persona.internal.report.KnownFailure;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs user code with a time limit on a small pool of daemon threads, so that a call that stalls
 * costs its caller at most the limit. A call that times out is interrupted; if it ignores that, it
 * keeps its thread until it returns. While {@code maxThreads} calls hold threads (running, or
 * stalled past their limit), further calls are refused at once rather than queued, so stalled code
 * holds at most that many threads. Threads are made on demand and end after 30 idle seconds; they
 * inherit no thread-local values (such as a logging context) from the request thread that made
 * them. Thread-safe.
 */
public final class TimedCalls {
  private final long timeoutNanos;
  private final ThreadPoolExecutor pool;
  private final Semaphore permits;
  private final CallFailed timedOut;
  private final CallFailed refused;
  private final CallFailed interrupted;
  private final CallFailed closed;

  /**
   * @param timeout how long a call may take, positive
   * @param maxThreads the most calls that may run, or hang, at once; positive
   */
  public TimedCalls(Duration timeout, int maxThreads) {
    this.timeoutNanos = timeout.toNanos();
    this.timedOut = new CallFailed("timed out after " + millis(timeout) + " ms");
    this.refused =
        new CallFailed(
            "was not called: all "
                + maxThreads
                + " threads for custom extensions are held by calls that have not returned");
    this.interrupted = new CallFailed("was abandoned: the request thread was interrupted");
    this.closed = new CallFailed("was not called: the engine is closed");
    this.permits = new Semaphore(maxThreads);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    AtomicInteger n = new AtomicInteger();
    // As many threads as calls hold permits, and a few more for a moment while they finish.
    this.pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(null, r, "persona-extension-" + n.incrementAndGet(), 0, false);
              t.setDaemon(true);
              t.setContextClassLoader(loader);
              return t;
            });
  }

  /** Returns {@code d} in milliseconds, with a fraction when it has one ("50", "0.5"). */
  static String millis(Duration d) {
    long nanos = d.toNanos();
    return nanos % 1_000_000 == 0 ? Long.toString(nanos / 1_000_000) : Double.toString(nanos / 1e6);
  }

  /**
   * Thrown when a call timed out, was refused or could not be waited for. Its message says which,
   * without request data; one instance per kind is thrown again and again.
   */
  public static final class CallFailed extends KnownFailure {
    private static final long serialVersionUID = 1L;

    /** What happened, such as "timed out after 50 ms". */
    private final String what;

    CallFailed(String what) {
      this(what, "the decision went on without it");
    }

    CallFailed(String what, String then) {
      super(what + "; " + then);
      this.what = what;
    }

    /** Returns what happened, such as "timed out after 50 ms", to follow the component's name. */
    public String what() {
      return what;
    }
  }

  /**
   * Runs {@code call} and returns its result.
   *
   * @throws CallFailed if it timed out, could not be run, or the caller was interrupted while
   *     waiting (its interrupt status is kept)
   * @throws RuntimeException whatever the call threw, unwrapped; also an {@link Error}
   */
  public <T> T call(Callable<T> call) {
    return call(call, timeoutNanos, timedOut);
  }

  /**
   * Returns the failure a call with its own time limit throws when it takes longer: "timed out
   * after {@code timeout}; {@code then}".
   */
  public static CallFailed timedOut(Duration timeout, String then) {
    return new CallFailed("timed out after " + millis(timeout) + " ms", then);
  }

  /**
   * Runs {@code call} with a time limit of its own, sharing the pool's threads, and returns its
   * result.
   *
   * @param limitNanos how long the call may take, positive
   * @param onTimeout what to throw when it takes longer
   * @throws CallFailed as {@link #call(Callable)}
   */
  public <T> T call(Callable<T> call, long limitNanos, CallFailed onTimeout) {
    if (!permits.tryAcquire()) {
      throw pool.isShutdown() ? closed : refused;
    }
    Guarded<T> task = new Guarded<>(call, permits);
    Future<T> f;
    try {
      f = pool.submit(task);
    } catch (RejectedExecutionException e) {
      permits.release();
      throw closed;
    }
    try {
      return f.get(limitNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.abandon(f);
      throw onTimeout;
    } catch (InterruptedException e) {
      task.abandon(f);
      Thread.currentThread().interrupt();
      throw interrupted;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a custom extension threw a checked exception", cause);
    }
  }

  /**
   * A call that holds a permit from when it is accepted until it returns, or until it is abandoned
   * before it started: exactly one of the two gives the permit back.
   */
  private static final class Guarded<T> extends AtomicBoolean implements Callable<T> {
    private static final long serialVersionUID = 1L;
    private final transient Callable<T> call;
    private final transient Semaphore permits;

    Guarded(Callable<T> call, Semaphore permits) {
      this.call = call;
      this.permits = permits;
    }

    @Override
    public T call() throws Exception {
      if (!compareAndSet(false, true)) {
        return null; // abandoned before it started
      }
      try {
        return call.call();
      } finally {
        permits.release();
      }
    }

    /** Interrupts the call; if it had not started, it never will, and its permit is given back. */
    void abandon(Future<T> f) {
      f.cancel(true);
      if (compareAndSet(false, true)) {
        permits.release();
      }
    }
  }

  /**
   * Refuses further calls and interrupts those under way; idle threads end. Calls that ignore the
   * interrupt keep their threads until they return.
   */
  public void close() {
    pool.shutdownNow();
  }
}
