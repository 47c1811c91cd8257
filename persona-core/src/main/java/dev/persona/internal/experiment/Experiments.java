package dev.persona.internal.experiment;

import dev.persona.Outcome;
import dev.persona.VariantStats;
import dev.persona.Visit;
import dev.persona.internal.report.InputReport;
import dev.persona.internal.session.Activity;
import dev.persona.internal.session.Assignments;
import dev.persona.internal.session.Conversions;
import dev.persona.internal.session.Counter;
import dev.persona.ruleset.RuleSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The engine's experiment settings and outcome bookkeeping: who is in the holdout, which QA
 * overrides apply, and which purchases and adds to cart a visit brings for {@link Attribution}.
 * Every increment goes to the store with an id ({@link OutcomeKeys}) that is the same each time the
 * same outcome is recorded or credited, so that the store counts it once. Thread-safe.
 */
public final class Experiments {
  /** The id the holdout hashes visitors with, as if it were an experiment. */
  public static final String HOLDOUT_ID = "persona-holdout";

  /** The most placements one QA override may pin. */
  static final int MAX_FORCED = 32;

  private static final int PURCHASE = 1 << Counter.PURCHASES.ordinal();
  private static final int CART_ADD = 1 << Counter.CART_ADDS.ordinal();

  /** The attribute of a {@code purchase} event that names its order. */
  public static final String ORDER_ID = "order_id";

  private final int holdoutBuckets;
  private final String forcedName;
  private final long attributionWindowMillis;
  private final Optimizer optimizer;
  private final int maxLength;
  private final int maxIdLength;
  private final int maxSessionIdLength;
  private final LongAdder recorded = new LongAdder();
  private final LongAdder refused = new LongAdder();

  /** The allocation of every visit when there are no experiments, holdout or QA overrides. */
  private final Allocation plain;

  /** {@link #plain} for a visit the decision keeps in its session's state. */
  private final Allocation plainTracked;

  /** {@link #plain} for a bot's visit. */
  private final Allocation plainBot;

  private final Attribution attribution;
  private final ExposureWatch watch;
  private final CountedOutcomes counted;

  /**
   * @param holdoutShare the share of visitors in the holdout, 0 to below 1
   * @param forcedName the header and query parameter that pin variants for QA, or null to ignore
   * @param attributionWindowMillis how long after an exposure outcomes are credited to it; 0 for
   *     never
   * @param optimizer the optimizer
   * @param maxLength characters read of a QA override
   * @param maxIdLength the most characters of an outcome's id or a purchase's order id
   * @param maxSessionIdLength the most characters of an outcome's session id
   * @param counted tells listeners of the outcomes recorded and credited
   */
  public Experiments(
      double holdoutShare,
      String forcedName,
      long attributionWindowMillis,
      Optimizer optimizer,
      int maxLength,
      int maxIdLength,
      int maxSessionIdLength,
      CountedOutcomes counted) {
    this.holdoutBuckets = (int) Math.round(holdoutShare * Buckets.COUNT);
    this.forcedName = forcedName;
    this.attributionWindowMillis = attributionWindowMillis;
    this.optimizer = optimizer;
    this.maxLength = maxLength;
    this.maxIdLength = maxIdLength;
    this.maxSessionIdLength = maxSessionIdLength;
    double share = holdoutBuckets / (double) Buckets.COUNT;
    // without experiments, nothing reads the time
    this.plain =
        new Allocation(
            null, false, false, Map.of(), optimizer, Assignments.NONE, share, false, 0, false);
    this.plainTracked =
        new Allocation(
            null, false, false, Map.of(), optimizer, Assignments.NONE, share, false, 0, true);
    this.plainBot =
        new Allocation(
            null, false, false, Map.of(), optimizer, Assignments.NONE, share, true, 0, false);
    this.counted = counted;
    this.attribution = new Attribution(attributionWindowMillis, optimizer, counted);
    this.watch = new ExposureWatch(optimizer);
  }

  /**
   * Returns what the visit's decision needs for experiments, the holdout and QA overrides; {@code
   * experiments} says whether the rule set has experiments, which need the visitor's id and the
   * engine's time, {@code nowMillis}; {@code bot} whether the request comes from a bot; {@code
   * tracked} whether the decision keeps the visit in its session's state; {@code user} the visit's
   * user id as read (null for an anonymous visit, or an over-long id).
   */
  public Allocation allocate(
      Visit visit,
      @Nullable String user,
      InputReport report,
      boolean experiments,
      boolean bot,
      boolean tracked,
      long nowMillis) {
    if (!experiments && holdoutBuckets == 0 && forcedName == null) {
      return bot ? plainBot : tracked ? plainTracked : plain;
    }
    String visitor = user != null ? user : visit.sessionId();
    boolean holdout = holdoutBuckets > 0 && Buckets.bucket(HOLDOUT_ID, visitor) < holdoutBuckets;
    return new Allocation(
        visitor,
        user != null,
        holdout,
        forced(visit, report),
        optimizer,
        Assignments.NONE,
        plain.holdoutShare(),
        bot,
        nowMillis,
        tracked);
  }

  private Map<String, String> forced(Visit visit, InputReport report) {
    if (forcedName == null) {
      return Map.of();
    }
    String raw = visit.query().get(forcedName);
    if (raw == null) {
      raw = visit.header(forcedName);
    }
    if (raw == null) {
      return Map.of();
    }
    if (raw.length() > maxLength) {
      report.truncated("a QA override longer than " + maxLength + " characters was ignored");
      return Map.of();
    }
    Map<String, String> out = new HashMap<>();
    for (String pair : raw.split(",", MAX_FORCED + 1)) {
      int colon = pair.indexOf(':');
      if (colon <= 0 || colon == pair.length() - 1 || out.size() == MAX_FORCED) {
        report.rejected("a QA override is not a list of placement:variant pairs");
        continue;
      }
      out.put(pair.substring(0, colon).strip(), pair.substring(colon + 1).strip());
    }
    return out;
  }

  /** What became of an outcome handed to {@link #record}. */
  public enum Recorded {
    /** Handed to the stats store, which counts it once per id. */
    RECORDED,
    /** Refused: its id or session id is longer than the limit. */
    TOO_LONG,
    /** Refused: the rule set has no such placement, variant in it, or persona as its segment. */
    UNKNOWN
  }

  /**
   * Records an outcome in the statistics, once per id, placement and kind, if the current rule set
   * has its placement, variant and segment and its strings are within the limits; tells the
   * listeners of it, at {@code atMillis}, when the store took it ({@link CountedOutcomes}).
   */
  public Recorded record(Outcome outcome, long atMillis) {
    recorded.increment();
    if (!optimizer.knows(outcome.placement(), outcome.variant(), outcome.segment())) {
      refused.increment();
      return Recorded.UNKNOWN;
    }
    String id = outcome.id();
    if (outcome.sessionId().length() > maxSessionIdLength
        || (id != null && id.length() > maxIdLength)) {
      return Recorded.TOO_LONG;
    }
    String storeId = id == null ? null : OutcomeKeys.of(outcome.kind(), outcome.placement(), id);
    if (optimizer.record(storeId, VariantStats.of(outcome))) {
      counted.counted(storeId, outcome, atMillis);
    }
    return Recorded.RECORDED;
  }

  /**
   * Returns the visit's purchases and adds to cart, by the digests of their event ids, for its
   * change to carry, so that whichever state it is applied to credits them to the exposures before
   * them ({@link Attribution}), once per placement however often the event is sent: a purchase by
   * its {@code order_id} (the same id as an outcome recorded with it), any other event by its
   * session, time, product and value.
   *
   * @param visit the visit whose first {@code activity.events()} events the activity read
   * @return the conversions, or null when the visit has none or attribution is off
   */
  public @Nullable Conversions conversions(Visit visit, Activity activity, InputReport report) {
    if (attributionWindowMillis <= 0) {
      return null;
    }
    int n = 0;
    for (int e = 0; e < activity.events(); e++) {
      if ((activity.bumps(e) & (PURCHASE | CART_ADD)) != 0) {
        n++;
      }
    }
    if (n == 0) {
      return null;
    }
    long[] high = new long[n];
    long[] low = new long[n];
    boolean[] purchases = new boolean[n];
    long[] times = new long[n];
    double[] values = new double[n];
    for (int e = 0, k = 0; e < activity.events(); e++) {
      int bits = activity.bumps(e);
      if ((bits & (PURCHASE | CART_ADD)) == 0) {
        continue;
      }
      boolean purchase = (bits & PURCHASE) != 0;
      long[] digest = OutcomeKeys.digest(eventId(visit, activity, e, purchase, report));
      high[k] = digest[0];
      low[k] = digest[1];
      purchases[k] = purchase;
      times[k] = activity.time(e);
      values[k] = purchase ? activity.orderValue(e) : 0;
      k++;
    }
    return Conversions.of(high, low, purchases, times, values, n);
  }

  /**
   * Returns the id of event {@code e}: a purchase's order id when it has a usable one, else one
   * made of the session, the event's time (its own, else the visit's), product, order value and
   * place in the visit, so that two adds to cart of one product in one visit are two conversions.
   * When the caller gave no time (the engine's clock dated the event), the visit's change id joins
   * it: two requests in one millisecond are two visits, and a request sent again gets a new time
   * anyway.
   */
  private String eventId(
      Visit visit, Activity activity, int e, boolean purchase, InputReport report) {
    if (purchase) {
      String order = orderId(visit.events().get(e).attribute(ORDER_ID), report);
      if (order != null) {
        return order;
      }
    }
    String product = activity.product(e);
    return "event "
        + visit.sessionId()
        + ' '
        + activity.time(e)
        + ' '
        + (product == null ? "" : product)
        + ' '
        + activity.orderValue(e)
        + ' '
        + e
        + (visit.timestamp() == null && visit.events().get(e).at() == null
            ? " " + activity.id()
            : "");
  }

  /** Reads an {@code order_id}: a non-empty string or a whole number, within the length limit. */
  private @Nullable String orderId(@Nullable Object raw, InputReport report) {
    if (raw == null) {
      return null;
    }
    String id = null;
    if (raw instanceof String s) {
      id = s;
    } else if (raw instanceof Number n) {
      double d = n.doubleValue();
      if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
        id = Long.toString(n.longValue());
      }
    }
    if (id == null || id.isEmpty()) {
      report.rejected("event attribute '" + ORDER_ID + "' is not a string or a whole number");
      return null;
    }
    if (id.length() > maxIdLength) {
      report.truncated(
          "event attribute '"
              + ORDER_ID
              + "' longer than "
              + maxIdLength
              + " characters was ignored");
      return null;
    }
    return id;
  }

  /**
   * Takes a new rule set: the placements, variants and personas outcomes must name from now on, and
   * the settings of its optimized placements.
   */
  public void placements(RuleSet rules) {
    optimizer.placements(rules);
    watch.placements(rules);
  }

  /** Returns what notices placements whose exposures are never recorded. */
  public ExposureWatch watch() {
    return watch;
  }

  public Optimizer optimizer() {
    return optimizer;
  }

  /** Returns how many outcomes were recorded through the engine. */
  public long recorded() {
    return recorded.sum();
  }

  /**
   * Returns how many outcomes and automatic credits were refused because the rule set current when
   * they were recorded has no such placement, variant in it, or segment.
   */
  public long refused() {
    return refused.sum() + attribution.refused();
  }

  /** Returns what credits conversions to exposures as changes reach sessions' states. */
  public Attribution attribution() {
    return attribution;
  }

  /** Returns how many outcomes were credited to exposures automatically. */
  public long attributed() {
    return attribution.attributed();
  }
}
