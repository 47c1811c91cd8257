package dev.persona.internal.experiment;

import dev.persona.Outcome;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import dev.persona.internal.report.ThrottledLog;
import dev.persona.internal.session.Conversions;
import dev.persona.internal.session.Exposures;
import dev.persona.internal.session.SessionData;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Credits purchases and adds to cart to the exposures before them as a session's changes reach its
 * state, however late, in whatever order, however often, and on whichever instance. A conversion is
 * credited to the latest exposure of each placement at or before it, within the attribution window;
 * a state holds both its recent {@link Conversions} and its {@link Exposures}, so that each pair is
 * credited when the later of the two reaches the state:
 *
 * <ul>
 *   <li>a visit's change credits its conversions to the exposures of the state it makes ({@link
 *       #visited});
 *   <li>an exposure's change credits it with the conversions of the state it makes that came at or
 *       after it, within the window, and before the placement's next exposure there ({@link
 *       #exposed}).
 * </ul>
 *
 * <p>The request that made a change credits from the state its store call returned (or the store's
 * fallback); a store that applies the change beyond that call (later, from its queue, or on another
 * thread) credits from each state it makes there. Not from the states a store applies it to during
 * the call: it may apply it to a copy it then does not use, which may hold what another instance
 * erased.
 *
 * <p>Each credit has the outcome id of its conversion's event, placement and kind ({@link
 * OutcomeKeys}), so that one made again (the same change applied to another copy, or twice) counts
 * once in the statistics; one this instance handed to the store lately ({@value #SENT_IDS} ids, 5
 * minutes) is not handed again. Which variant gets a credit, when one placement showed two within
 * the window before the conversion and the later exposure reached the state after the conversion,
 * is the one the first credit was made with.
 *
 * <p>Making a credit only queues it (at most {@value #MAX_WAITING}; beyond, it is dropped, counted
 * and logged): a store may apply changes inside its own locks, and the statistics store may be
 * slow. The request thread records what it made once its store call returned ({@link #flush});
 * credits a store made beyond the call are recorded by one daemon thread, started when first needed
 * and ended when idle. Never throws into the store. Thread-safe.
 */
public final class Attribution {
  private static final Logger LOG = LoggerFactory.getLogger("dev.persona.outcomes");

  /** The most credits waiting to be recorded. */
  static final int MAX_WAITING = 10_000;

  /** How many ids of credits handed to the store this instance remembers, and for how long. */
  static final int SENT_IDS = 4_096;

  static final long SENT_TTL_NANOS = TimeUnit.MINUTES.toNanos(5);

  private static final String COMPONENT = "attribution";

  private final long windowMillis;
  private final Optimizer optimizer;
  private final ThrottledLog log = new ThrottledLog(LOG, 60_000);
  private final ConcurrentLinkedQueue<Credit> waiting = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final LongAdder attributed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final RecentIds sent = new RecentIds(SENT_IDS, SENT_TTL_NANOS, System::nanoTime);
  private final CountedOutcomes counted;
  private @Nullable ThreadPoolExecutor drainer;

  /**
   * @param windowMillis how long after an exposure conversions are credited to it; 0 for never
   * @param optimizer where credits are recorded
   * @param counted tells listeners of the credits recorded
   */
  Attribution(long windowMillis, Optimizer optimizer, CountedOutcomes counted) {
    this.windowMillis = windowMillis;
    this.optimizer = optimizer;
    this.counted = counted;
  }

  /** Returns the attribution window in milliseconds; 0 when attribution is off. */
  public long windowMillis() {
    return windowMillis;
  }

  /**
   * Credits the conversions of a visit to the exposures of {@code after}, a state its change made:
   * to each placement's latest exposure at or before the conversion, within the window.
   *
   * @param sessionId the session's id, which the credits tell listeners
   * @param after the state the visit's change made
   * @param add the visit's conversions
   * @param callerRecords true if the thread making the credits will {@link #flush} them soon, false
   *     for a daemon thread to record them
   */
  public void visited(String sessionId, SessionData after, Conversions add, boolean callerRecords) {
    try {
      Exposures x = after.exposures();
      if (windowMillis <= 0 || x.size() == 0) {
        return;
      }
      boolean made = false;
      for (int i = 0; i < add.size(); i++) {
        long at = add.atMillis(i);
        for (int j = 0; j < x.size(); j++) {
          if (at - x.atMillis(j) <= windowMillis && x.latestAtOrBefore(j, at)) {
            made |=
                credit(
                    sessionId,
                    add,
                    i,
                    x.placement(j),
                    x.variant(j),
                    x.segment(j),
                    x.basis(j),
                    x.experiment(j),
                    x.decision(j));
          }
        }
      }
      if (made && !callerRecords) {
        drainLater();
      }
    } catch (RuntimeException e) {
      log.failure(COMPONENT, e, "the credits of that change were not all made");
    }
  }

  /**
   * Credits an exposure with the conversions of {@code after}, a state its change made, at or after
   * it within the window, and before the placement's next exposure there.
   *
   * @param sessionId the session's id, which the credits tell listeners
   * @param decision the id of the decision the exposure showed, as {@link Exposures#decisionTag}
   *     keeps it
   * @param callerRecords true if the thread making the credits will {@link #flush} them soon, false
   *     for a daemon thread to record them
   */
  public void exposed(
      String sessionId,
      SessionData after,
      String placement,
      String variant,
      @Nullable String segment,
      String tag,
      String decision,
      long atMillis,
      boolean callerRecords) {
    try {
      Conversions c = after.conversions();
      if (windowMillis <= 0 || c.size() == 0) {
        return;
      }
      boolean made = false;
      for (int i = 0; i < c.size(); i++) {
        long at = c.atMillis(i);
        if (at >= atMillis
            && at - atMillis <= windowMillis
            && !after.exposures().shownBetween(placement, atMillis, at)) {
          made |=
              credit(
                  sessionId,
                  c,
                  i,
                  placement,
                  variant,
                  segment,
                  Exposures.basisOf(tag),
                  Exposures.experimentOf(tag),
                  decision.isEmpty() ? null : decision);
        }
      }
      if (made && !callerRecords) {
        drainLater();
      }
    } catch (RuntimeException e) {
      log.failure(COMPONENT, e, "the credits of that exposure were not all made");
    }
  }

  /** Queues one credit; returns whether it was queued. */
  private boolean credit(
      String sessionId,
      Conversions c,
      int i,
      String placement,
      String variant,
      @Nullable String segment,
      VariantChoice.@Nullable Basis basis,
      @Nullable String experiment,
      @Nullable String decision) {
    if (size.incrementAndGet() > MAX_WAITING) {
      size.decrementAndGet();
      dropped.increment();
      long suppressed = log.due("attribution queue");
      if (suppressed >= 0) {
        LOG.error(
            "attribution credits dropped: {} were waiting to be recorded{}",
            MAX_WAITING,
            ThrottledLog.more(suppressed));
      }
      return false;
    }
    waiting.add(
        new Credit(
            c.purchase(i) ? Outcome.Kind.PURCHASE : Outcome.Kind.ADD_TO_CART,
            sessionId,
            placement,
            variant,
            segment,
            basis,
            experiment,
            decision,
            c.idHigh(i),
            c.idLow(i),
            c.atMillis(i),
            c.value(i)));
    return true;
  }

  /**
   * Records the credits waiting in the statistics, but for those this instance handed to the store
   * lately (a change applied again makes its credits again; the store would count them once, at the
   * price of a call) and those of a placement, variant or segment the current rule set lacks
   * (refused and counted); a store's failure is counted and logged.
   */
  public void flush() {
    for (Credit c = waiting.poll(); c != null; c = waiting.poll()) {
      size.decrementAndGet();
      if (!optimizer.knows(c.placement, c.variant, c.segment)) {
        refused.increment(); // a reload removed what the exposure named
        continue;
      }
      String id = OutcomeKeys.of(c.kind, c.placement, c.high, c.low);
      if (sent.contains(id)) {
        continue;
      }
      attributed.increment();
      boolean recorded =
          optimizer.record(
              id,
              VariantStats.builder(c.placement, c.variant, c.segment)
                  .basis(c.basis)
                  .experiment(c.experiment)
                  .count(c.kind, 1)
                  .value(c.value)
                  .build());
      if (recorded) {
        sent.add(id);
        if (counted.listened()) {
          counted.counted(id, c.outcome(), c.atMillis);
        }
      }
    }
  }

  private void drainLater() {
    if (!drainScheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      drainer()
          .execute(
              () -> {
                drainScheduled.set(false);
                flush();
              });
    } catch (RejectedExecutionException e) {
      drainScheduled.set(false);
      log.failure(COMPONENT, e, "its credits wait for the next request's");
    }
  }

  private synchronized ThreadPoolExecutor drainer() {
    ThreadPoolExecutor d = drainer;
    if (d == null) {
      d =
          new ThreadPoolExecutor(
              1,
              1,
              10,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, "persona-attribution");
                t.setDaemon(true);
                return t;
              });
      d.allowCoreThreadTimeOut(true);
      drainer = d;
    }
    return d;
  }

  /**
   * Records what waits, on this thread and the daemon thread, waiting for the latter at most {@code
   * waitNanos}. Credits made later are still recorded, by a new daemon thread if need be.
   */
  public void close(long waitNanos) {
    flush();
    ThreadPoolExecutor d;
    synchronized (this) {
      d = drainer;
      drainer = null;
    }
    if (d != null) {
      d.shutdown();
      try {
        d.awaitTermination(waitNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    flush();
  }

  /**
   * Returns how many credits were handed to the statistics store: those of events sent again
   * included, not those this instance handed it lately.
   */
  public long attributed() {
    return attributed.sum();
  }

  /**
   * Returns how many credits were not recorded because the current rule set no longer has their
   * placement, variant or segment.
   */
  long refused() {
    return refused.sum();
  }

  /** Returns how many credits were dropped because {@value #MAX_WAITING} were waiting. */
  public long dropped() {
    return dropped.sum();
  }

  /** A credit waiting to be recorded. */
  private static final class Credit {
    final Outcome.Kind kind;
    final String sessionId;
    final String placement;
    final String variant;
    final @Nullable String segment;
    final VariantChoice.@Nullable Basis basis;
    final @Nullable String experiment;
    final @Nullable String decision;
    final long high;
    final long low;
    final long atMillis;
    final double value;

    Credit(
        Outcome.Kind kind,
        String sessionId,
        String placement,
        String variant,
        @Nullable String segment,
        VariantChoice.@Nullable Basis basis,
        @Nullable String experiment,
        @Nullable String decision,
        long high,
        long low,
        long atMillis,
        double value) {
      this.kind = kind;
      this.sessionId = sessionId;
      this.placement = placement;
      this.variant = variant;
      this.segment = segment;
      this.basis = basis;
      this.experiment = experiment;
      this.decision = decision;
      this.high = high;
      this.low = low;
      this.atMillis = atMillis;
      this.value = value;
    }

    /**
     * Returns the outcome this credit tells listeners: of the exposure's placement, variant,
     * persona, basis, experiment and decision, with the id of its event ({@link
     * OutcomeKeys#eventId}). Counted, as credits are only of counted exposures; tracked, as the
     * session's state held the exposure.
     */
    Outcome outcome() {
      return Outcome.builder(kind, sessionId, placement, variant)
          .segment(segment)
          .basis(basis)
          .experiment(experiment)
          .decisionId(decision)
          .tracked(true)
          .value(value >= 0 && Double.isFinite(value) ? value : 0)
          .id(OutcomeKeys.eventId(high, low))
          .build();
    }
  }
}
