package dev.persona.internal.signals;

import dev.persona.Signal;
import dev.persona.SignalKind;
import dev.persona.config.PredictionConfig;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.rules.SignalFrame;
import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Turns a customer's order-history facts into the predicted signals ({@code source prediction}):
 * {@code p_alive}, {@code expected_orders}, {@code expected_order_value} and {@code predicted_clv}
 * from the configured models, and {@code days_overdue}, which needs none. A profile fact of the
 * same key as a predicted signal (a store that predicts on its own) wins, and is not predicted.
 *
 * <p>The history is read from the facts in days: x = {@code orders} − 1 repeat orders; T, the
 * customer's age, is {@code days_since_first_order}, else {@code days_since_last_order} + {@code
 * avg_days_between_orders} × x; tₓ = T − {@code days_since_last_order}; the mean order value is
 * {@code avg_order_value}, else {@code lifetime_value} / {@code orders}. Immutable and thread-safe;
 * nothing is cached per customer.
 */
public final class Predictor {
  /** The source of every predicted signal. */
  public static final String SOURCE = "prediction";

  /** A lifetime value discounted month by month counts months of this many days. */
  private static final double MONTH_DAYS = 30;

  private final @Nullable BgNbd bgNbd;
  private final @Nullable GammaGamma gammaGamma;
  private final double periodDays;
  private final double horizon;
  private final double clvHorizon;
  private final double monthlyDiscount;

  private Predictor(@Nullable PredictionConfig c) {
    this.bgNbd = c == null ? null : c.bgNbd();
    this.gammaGamma = c == null ? null : c.gammaGamma();
    this.periodDays = c == null ? 1 : days(c.period().toMillis());
    this.horizon = c == null ? 0 : days(c.horizon().toMillis()) / periodDays;
    this.clvHorizon = c == null ? 0 : days(c.clvHorizon().toMillis()) / periodDays;
    this.monthlyDiscount =
        c == null || c.annualDiscountRate() == 0
            ? 0
            : Math.pow(1 + c.annualDiscountRate(), 1.0 / 12) - 1;
  }

  /** Returns a predictor of these models; with none, it predicts {@code days_overdue} only. */
  public static Predictor of(@Nullable PredictionConfig config) {
    return new Predictor(config);
  }

  private static double days(long millis) {
    return millis / 86_400_000.0;
  }

  /**
   * Puts the predicted signals that {@code slots}' rule set tests into {@code frame}; computes
   * nothing for those it does not test.
   */
  public void fill(SignalFrame frame, Slots slots, Map<String, Object> profile) {
    if (!slots.any || profile.isEmpty()) {
      return;
    }
    History h = History.of(profile);
    if (h == null) {
      return;
    }
    if (slots.daysOverdue >= 0 && !profile.containsKey(BuiltInSignals.DAYS_OVERDUE)) {
      frame.putNumber(slots.daysOverdue, h.daysOverdue());
    }
    if (slots.pAlive >= 0 && !profile.containsKey(BuiltInSignals.P_ALIVE)) {
      frame.putNumber(slots.pAlive, pAlive(h));
    }
    if (slots.expectedOrders >= 0 && !profile.containsKey(BuiltInSignals.EXPECTED_ORDERS)) {
      frame.putNumber(slots.expectedOrders, expectedOrders(h, horizon));
    }
    if (slots.expectedOrderValue >= 0
        && !profile.containsKey(BuiltInSignals.EXPECTED_ORDER_VALUE)) {
      frame.putNumber(slots.expectedOrderValue, expectedOrderValue(h));
    }
    if (slots.predictedClv >= 0 && !profile.containsKey(BuiltInSignals.PREDICTED_CLV)) {
      frame.putNumber(slots.predictedClv, clv(h));
    }
  }

  /** Adds every predicted signal of these facts to {@code out}, for explanations. */
  void addTo(List<Signal> out, Map<String, Object> profile) {
    History h = profile.isEmpty() ? null : History.of(profile);
    if (h == null) {
      return;
    }
    add(out, profile, BuiltInSignals.P_ALIVE, pAlive(h));
    add(out, profile, BuiltInSignals.EXPECTED_ORDERS, expectedOrders(h, horizon));
    add(out, profile, BuiltInSignals.EXPECTED_ORDER_VALUE, expectedOrderValue(h));
    add(out, profile, BuiltInSignals.PREDICTED_CLV, clv(h));
    add(out, profile, BuiltInSignals.DAYS_OVERDUE, h.daysOverdue());
  }

  private static void add(List<Signal> out, Map<String, Object> profile, String key, double v) {
    if (!Double.isNaN(v) && !profile.containsKey(key)) {
      out.add(new Signal(key, SignalKind.IMPLICIT, v + 0.0, SOURCE, 1));
    }
  }

  private double pAlive(History h) {
    BgNbd m = bgNbd;
    return m == null ? Double.NaN : m.probabilityAlive(h.x, h.tx / periodDays, h.age / periodDays);
  }

  private double expectedOrders(History h, double ahead) {
    BgNbd m = bgNbd;
    return m == null
        ? Double.NaN
        : m.expectedOrders(ahead, h.x, h.tx / periodDays, h.age / periodDays);
  }

  private double expectedOrderValue(History h) {
    GammaGamma m = gammaGamma;
    if (m == null) {
      return Double.NaN;
    }
    if (h.x == 0) {
      return m.meanOrderValue();
    }
    double mean = h.meanValue();
    return Double.isNaN(mean) ? Double.NaN : m.expectedOrderValue(h.x, mean);
  }

  /**
   * Returns the revenue expected within the lifetime-value horizon: expected orders times expected
   * value, or with a discount rate the sum over 30-day months of each month's expected orders times
   * the value, discounted by the month's factor.
   */
  private double clv(History h) {
    if (bgNbd == null) {
      return Double.NaN;
    }
    double value = expectedOrderValue(h);
    if (Double.isNaN(value)) {
      return Double.NaN;
    }
    if (monthlyDiscount == 0) {
      return expectedOrders(h, clvHorizon) * value;
    }
    double month = MONTH_DAYS / periodDays;
    double sum = 0;
    double before = 0;
    double factor = 1;
    for (int i = 1; before < clvHorizon * (1 - 1e-12) || i == 1; i++) {
      double until = Math.min(i * month, clvHorizon);
      double upTo = expectedOrders(h, until);
      factor /= 1 + monthlyDiscount;
      sum += (upTo - expectedOrders(h, before)) * factor;
      before = until;
    }
    return sum * value;
  }

  /**
   * A customer's order history in days, as the profile facts give it; the mean order value is read
   * only when asked for. Not a record, so that no toString shows the facts.
   */
  private static final class History {
    final double x;
    final double tx;
    final double age;
    private final double daysOverdue;
    private final double orders;
    private final Map<String, Object> facts;

    private History(
        double x,
        double tx,
        double age,
        double daysOverdue,
        double orders,
        Map<String, Object> facts) {
      this.x = x;
      this.tx = tx;
      this.age = age;
      this.daysOverdue = daysOverdue;
      this.orders = orders;
      this.facts = facts;
    }

    double daysOverdue() {
      return daysOverdue;
    }

    /** Returns {@code avg_order_value}, else {@code lifetime_value / orders}, else NaN. */
    double meanValue() {
      double mean = number(facts, BuiltInSignals.AVG_ORDER_VALUE);
      if (mean >= 0) {
        return mean;
      }
      double ltv = number(facts, BuiltInSignals.LIFETIME_VALUE);
      return ltv >= 0 ? ltv / orders : Double.NaN;
    }

    /** Returns the history of the facts, or null when they do not give one. */
    static @Nullable History of(Map<String, Object> profile) {
      double orders = number(profile, BuiltInSignals.ORDERS);
      double last = number(profile, BuiltInSignals.DAYS_SINCE_LAST_ORDER);
      if (!(orders >= 1) || !(last >= 0)) {
        return null;
      }
      double x = orders - 1;
      double first = number(profile, BuiltInSignals.DAYS_SINCE_FIRST_ORDER);
      double gap = number(profile, BuiltInSignals.AVG_DAYS_BETWEEN_ORDERS);
      double age;
      if (first >= last) {
        age = first;
        if (x > 0 && !(gap >= 0)) {
          gap = (first - last) / x;
        }
      } else if (x == 0) {
        age = last;
      } else if (gap >= 0) {
        age = last + gap * x;
      } else {
        return null;
      }
      double overdue = x > 0 && gap >= 0 ? last - gap : Double.NaN;
      return new History(x, age - last, age, overdue, orders, profile);
    }

    private static double number(Map<String, Object> profile, String key) {
      return profile.get(key) instanceof Double d ? d : Double.NaN;
    }
  }

  /**
   * Where the predicted signals go in the frames of one {@link CompiledRuleSet}, resolved once per
   * rule set. Immutable and thread-safe.
   */
  public static final class Slots {
    final CompiledRuleSet rules;
    final int pAlive;
    final int expectedOrders;
    final int expectedOrderValue;
    final int predictedClv;
    final int daysOverdue;
    final boolean any;
    private final Predictor predictor;

    /**
     * Resolves the slots of the predicted signals in {@code rules}, predicted with the rule set's
     * models when it has them, else with {@code engines}.
     */
    public Slots(CompiledRuleSet rules, Predictor engines) {
      this.rules = rules;
      this.pAlive = rules.slot(BuiltInSignals.P_ALIVE);
      this.expectedOrders = rules.slot(BuiltInSignals.EXPECTED_ORDERS);
      this.expectedOrderValue = rules.slot(BuiltInSignals.EXPECTED_ORDER_VALUE);
      this.predictedClv = rules.slot(BuiltInSignals.PREDICTED_CLV);
      this.daysOverdue = rules.slot(BuiltInSignals.DAYS_OVERDUE);
      this.any =
          Math.max(
                  Math.max(pAlive, expectedOrders),
                  Math.max(Math.max(expectedOrderValue, predictedClv), daysOverdue))
              >= 0;
      PredictionConfig own = rules.source().prediction();
      this.predictor = own != null ? Predictor.of(own) : engines;
    }

    /** Returns the predictor of the rule set's models, else of the engine's. */
    public Predictor predictor() {
      return predictor;
    }

    /** Returns whether these are the slots of {@code compiled}. */
    public boolean isFor(CompiledRuleSet compiled) {
      return rules == compiled;
    }
  }
}
