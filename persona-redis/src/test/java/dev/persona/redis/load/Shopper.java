package dev.persona.redis.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * One shopper: a session's plan (how many actions, whether and how it is erased, when the shopper
 * signs in) and what the client sent for it since its last erasure, which is what the shared
 * session must hold. Each request goes to instance {@code k % 2}, {@code k} counting the session's
 * requests. Not thread-safe: one client thread plays a shopper from start to end.
 */
final class Shopper {
  /** The counters the shoppers' events bump, one each: the raw totals the checker compares. */
  static final List<String> COUNTERS =
      List.of("page_views", "product_views", "searches", "cart_adds", "purchases");

  /** Categories without "gift" or "sale" in them, so that each event bumps one counter. */
  private static final String[] CATEGORIES = {
    "shoes", "kitchen", "books", "garden", "toys", "audio"
  };

  /**
   * The system property that leaves {@link Erasure#WITHDRAW} out of the kinds of erasure drawn
   * ({@code -Dpersona.load.withdraw=false}), to replay a seed's plan from before withdrawals were
   * drawn. On by default.
   */
  static final String WITHDRAW_PROPERTY = "persona.load.withdraw";

  private static final boolean WITHDRAWS =
      Boolean.parseBoolean(System.getProperty(WITHDRAW_PROPERTY, "true"));

  /** How a shopper's data is erased. */
  enum Erasure {
    /** {@code forget(sessionId)} on the instance the request goes to. */
    FORGET,
    /** {@code forgetUser(userId)} on the instance the request goes to. */
    FORGET_USER,
    /** A visit with {@code Sec-GPC: 1}: consent withdrawn, the session's state dropped. */
    GPC,
    /**
     * A visit declaring {@code consent=denied}: the session's state dropped and the denial kept;
     * the shopper's next visit declares {@code granted}, and what it sends is stored again. Not
     * drawn with {@code -Dpersona.load.withdraw=false} ({@link #WITHDRAW_PROPERTY}).
     */
    WITHDRAW
  }

  /**
   * A placement's last exposure, as the engine keeps it for attribution; with the instance it was
   * recorded on and when it was sent, for the report.
   */
  record Exposure(
      String variant,
      @Nullable String segment,
      boolean tracked,
      int instance,
      long sentMillis,
      int request) {}

  final String sessionId;
  final String userId;
  final int actions;
  final @Nullable Erasure erasure;
  final int erasureAt;

  /** The action from which the visits carry the user id; beyond {@link #actions} for never. */
  final int signInAt;

  private final Random random;
  private int requests;

  /**
   * Increased by every erasure; product ids carry it, so a product reveals the state it is from.
   */
  int epoch;

  /** Raw events sent per {@link #COUNTERS} since the last erasure. */
  final int[] sent = new int[COUNTERS.size()];

  /** Visits whose behaviour is to be stored, since the last erasure. */
  int visits;

  /** Events sent, all stored or not. */
  int eventsSent;

  /** The last exposure per placement since the last erasure. */
  final Map<String, Exposure> exposures = new LinkedHashMap<>();

  /** Whether the next visit declares {@code consent=granted}: the shopper withdrew it. */
  boolean grants;

  /** When the last erasure was requested (epoch millis), or 0. */
  long erasedAtMillis;

  /** The instance the last erasure was sent to, or -1. */
  int erasedOn = -1;

  /** The number of the request of the last erasure (counting the session's requests), or -1. */
  int erasedRequest = -1;

  /**
   * The session's decisions in order: the number of the request, the instance and 1 if flagged
   * {@code STORE_DEGRADED} (its change then waited in that instance's queue), else 0.
   */
  final List<int[]> decisions = new ArrayList<>();

  /** Whether the instance reported the last erasure failed. */
  boolean erasureFailed;

  /** How long the last erasure's request took, ms. */
  long erasureMillis;

  /** When each instance last answered a request of the session (epoch millis), or 0. */
  final long[] answeredMillis = new long[2];

  /** {@link #answeredMillis} as it was when the last erasure was sent. */
  final long[] answeredBeforeErasure = new long[2];

  /** When the first request was sent and the last one answered (epoch millis), or 0. */
  long firstRequestMillis;

  long lastRequestMillis;

  Shopper(String sessionId, Random random) {
    this.sessionId = sessionId;
    this.random = random;
    this.actions = 8 + random.nextInt(25);
    int draw = random.nextInt(100);
    if (draw < 30) {
      this.erasure = Erasure.values()[random.nextInt(WITHDRAWS ? 4 : 3)];
      this.erasureAt = random.nextInt(100) < 15 ? actions - 1 : 2 + random.nextInt(actions - 3);
    } else {
      this.erasure = null;
      this.erasureAt = -1;
    }
    if (erasure == Erasure.FORGET_USER) {
      // half sign in just before, so that only one instance has seen the user with this session
      this.signInAt = random.nextBoolean() ? erasureAt - 1 : 1 + random.nextInt(erasureAt - 1);
    } else {
      this.signInAt = draw >= 70 ? 0 : Integer.MAX_VALUE;
    }
    this.userId = "u-" + sessionId;
  }

  /** Returns the instance of the next request, 0 or 1, and counts the request. */
  int nextInstance() {
    return requests++ % 2;
  }

  /** Returns the instance of the next request, 0 or 1, without counting it. */
  int peekInstance() {
    return requests % 2;
  }

  /** Returns the number of the next request, counting the session's requests from 0. */
  int nextRequest() {
    return requests;
  }

  /**
   * Returns whether what request {@code request} to {@code instance} changed is known to be in
   * Redis before request {@code before}: a decision on that instance from it on ({@code itself}) or
   * after it, before {@code before}, was not degraded, so that its write, which carries every
   * change of the session waiting on that instance, landed.
   */
  boolean landed(int request, int instance, boolean itself, int before) {
    for (int[] d : decisions) {
      if ((itself ? d[0] >= request : d[0] > request)
          && d[0] < before
          && d[1] == instance
          && d[2] == 0) {
        return true;
      }
    }
    return false;
  }

  /** Returns the user id the visit of action {@code a} carries, or null. */
  @Nullable String userAt(int a) {
    return a >= signInAt ? userId : null;
  }

  /**
   * Returns the events of a visit, as {@code type,category,product,value}, and counts them in
   * {@link #sent} when {@code stored}. The first visit after an erasure views a product, so that a
   * decision using erased state can be told by its products.
   */
  List<String> events(boolean stored) {
    int n = 1 + random.nextInt(3);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int draw = visits == 0 && i == 0 ? 0 : random.nextInt(100);
      String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
      String product = "e" + epoch + "-p" + random.nextInt(40);
      int counter;
      if (draw < 40) {
        out.add("product_view," + category + "," + product + ",");
        counter = 1;
      } else if (draw < 65) {
        out.add("page_view," + category + ",,");
        counter = 0;
      } else if (draw < 75) {
        out.add("search,,,");
        counter = 2;
      } else if (draw < 90) {
        out.add("add_to_cart," + category + "," + product + ",");
        counter = 3;
      } else {
        out.add("purchase,,," + (10 + random.nextInt(191)));
        counter = 4;
      }
      eventsSent++;
      if (stored) {
        sent[counter]++;
      }
    }
    return out;
  }

  /**
   * Records that the shopper's data was erased: what is stored starts anew.
   *
   * @param atMillis when the erasure was asked for
   * @param failed whether the instance reported that it failed
   * @param answeredBefore {@link #answeredMillis} when the erasure was sent
   */
  void erased(long atMillis, boolean failed, long[] answeredBefore) {
    erasureFailed = failed;
    erasureMillis = System.currentTimeMillis() - atMillis;
    System.arraycopy(answeredBefore, 0, answeredBeforeErasure, 0, 2);
    epoch++;
    visits = 0;
    Arrays.fill(sent, 0);
    exposures.clear();
    erasedAtMillis = atMillis;
  }

  /**
   * Returns whether the last decision of {@code instance} before the last erasure was flagged
   * {@code STORE_DEGRADED}; false if it made none.
   */
  boolean degradedBeforeErasure(int instance) {
    boolean degraded = false;
    for (int[] d : decisions) {
      if (d[0] < erasedRequest && d[1] == instance) {
        degraded = d[2] == 1;
      }
    }
    return degraded;
  }

  /** Returns whether a product id comes from before the last erasure. */
  boolean erasedProduct(String product) {
    int dash = product.indexOf('-');
    return product.startsWith("e")
        && dash > 1
        && Integer.parseInt(product.substring(1, dash)) < epoch;
  }

  /** Returns the plan, without ids. */
  @Override
  public String toString() {
    return "Shopper{actions=" + actions + ", erasure=" + erasure + ", epoch=" + epoch + "}";
  }
}
