package dev.persona.internal.session;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * What one visit adds to its session, prepared outside the store's update function so that the
 * update is pure and cheap: for each event, the counters it bumps with its time, its category,
 * brand and product, the cart change and a purchase's order value; the declared attributes; and,
 * when the visit came from outside the store, its traffic source as a {@linkplain #landing()
 * landing}. Built by one request, then only read: not thread-safe while built, immutable after. The
 * per-event values are kept in a few shared arrays, since a visit usually has one event and every
 * array costs a header.
 *
 * <p>Each activity has a random {@linkplain #id() change id}: a state remembers the ids of the
 * changes applied to it lately, so that a store may apply the same change again (a retry after a
 * timeout whose write did land) without counting it twice.
 */
public final class Activity {
  /** A {@link #cartDelta} that empties the cart: a purchase. */
  public static final int EMPTY_CART = Integer.MIN_VALUE;

  /** The traffic source of an in-site request, which is no landing. */
  private static final String INTERNAL = "internal";

  private final long atMillis;
  private final long id;

  /** For event {@code e}: its bumps at {@code 2e}, its cart change at {@code 2e + 1}. */
  private final int[] ints;

  private final long[] times;

  /** For event {@code e}: its category at {@code 3e}, brand at {@code 3e + 1}, product after. */
  private final String[] texts;

  /** Order values by event; null while no event is a purchase. */
  private double[] orderValues;

  private final Map<String, Object> declared;

  /** The visit's traffic source when it is a landing of its session, else null. */
  private @Nullable String landingSource;

  private @Nullable String landingCampaign;
  private @Nullable String landingHost;

  /** The signed-in user's key, when the engine keeps profiles; else 0. */
  private long user;

  /**
   * @param atMillis the visit's time
   * @param bumps for each event: the counters it bumps, as a bit set of {@link Counter} ordinals
   * @param bumpTimes for each event: its time in epoch millis, at most {@code atMillis}
   * @param categories for each event: its category (lower case, bounded), or null
   * @param brands for each event: its brand (lower case, bounded), or null
   * @param cartDelta for each event: the change of open cart items; {@link #EMPTY_CART} empties the
   *     cart (a purchase)
   * @param products for each event: the product it concerns (bounded), or null
   * @param orderValues for each event: a purchase's order value, else 0
   * @param declared declared attributes to keep, already normalised and bounded
   */
  public Activity(
      long atMillis,
      int[] bumps,
      long[] bumpTimes,
      String[] categories,
      String[] brands,
      int[] cartDelta,
      String[] products,
      double[] orderValues,
      Map<String, Object> declared) {
    this(atMillis, bumpTimes, declared, newId());
    this.orderValues = orderValues;
    for (int e = 0; e < bumps.length; e++) {
      set(e, bumps[e], cartDelta[e], categories[e], brands[e]);
      setProduct(e, products[e]);
    }
  }

  private Activity(long atMillis, long[] times, Map<String, Object> declared, long id) {
    this.atMillis = atMillis;
    this.id = id;
    this.ints = new int[2 * times.length];
    this.times = times;
    this.texts = new String[3 * times.length];
    this.declared = declared;
  }

  /**
   * Returns an activity of {@code times.length} events, empty until set; the request that builds it
   * sets the events, then hands it on.
   *
   * @param atMillis the visit's time
   * @param times the events' times, which the builder may fill in later
   * @param declared declared attributes to keep, already normalised and bounded
   */
  public static Activity of(long atMillis, long[] times, Map<String, Object> declared) {
    return new Activity(atMillis, times, declared, newId());
  }

  /** Like {@link #of(long, long[], Map)}, with a given change id, not 0; for tests. */
  public static Activity of(long atMillis, long[] times, Map<String, Object> declared, long id) {
    if (id == 0) {
      throw new IllegalArgumentException("change id 0 is reserved");
    }
    return new Activity(atMillis, times, declared, id);
  }

  private static long newId() {
    long id = ThreadLocalRandom.current().nextLong();
    return id == 0 ? 1 : id;
  }

  /** Returns the change id: random, never 0. */
  public long id() {
    return id;
  }

  /** Sets event {@code e}'s bumps, cart change, category and brand. */
  public void set(int e, int bumps, int cartDelta, String category, String brand) {
    ints[2 * e] = bumps;
    ints[2 * e + 1] = cartDelta;
    texts[3 * e] = category;
    texts[3 * e + 1] = brand;
  }

  /** Sets the product event {@code e} concerns. */
  public void setProduct(int e, String product) {
    texts[3 * e + 2] = product;
  }

  /** Sets the order value of event {@code e}, a purchase. */
  public void setOrderValue(int e, double value) {
    if (orderValues == null) {
      orderValues = new double[times.length];
    }
    orderValues[e] = value;
  }

  public long atMillis() {
    return atMillis;
  }

  public int events() {
    return times.length;
  }

  public int bumps(int e) {
    return ints[2 * e];
  }

  public long time(int e) {
    return times[e];
  }

  public String category(int e) {
    return texts[3 * e];
  }

  public String brand(int e) {
    return texts[3 * e + 1];
  }

  public int cartDelta(int e) {
    return ints[2 * e + 1];
  }

  public String product(int e) {
    return texts[3 * e + 2];
  }

  public double orderValue(int e) {
    return orderValues == null ? 0 : orderValues[e];
  }

  public Map<String, Object> declared() {
    return declared;
  }

  /**
   * Marks the visit as a landing: it came from outside the store, from {@code source}; an in-site
   * request ({@code internal}) or one without a traffic source is none, and is ignored.
   *
   * @param source the visit's traffic source, or null
   * @param campaign its campaign, or null
   * @param referrerHost its external referrer's host, or null
   */
  public void setLanding(
      @Nullable String source, @Nullable String campaign, @Nullable String referrerHost) {
    if (source != null && !INTERNAL.equals(source)) {
      landingSource = source;
      landingCampaign = campaign;
      landingHost = referrerHost;
    }
  }

  /**
   * Marks the visit as signed in as the user with this key (never 0), so that its session is linked
   * to the user's profile; a visit left unmarked, while the engine keeps profiles, is anonymous and
   * signs a signed-in session out.
   */
  public void setUser(long userKey) {
    this.user = userKey;
  }

  /** Returns the signed-in user's key, or 0. */
  public long user() {
    return user;
  }

  /** Returns the entry of a session whose entry was {@code old} (or null) after this visit. */
  @Nullable Entry entryAfter(@Nullable Entry old) {
    String source = landingSource;
    if (source == null
        || (old != null && old.beats(source, landingCampaign, landingHost, atMillis))) {
      return old;
    }
    return new Entry(source, landingCampaign, landingHost, atMillis);
  }

  /** Returns the visit as a landing, a new entry; or null when it is none. */
  @Nullable Entry landing() {
    return entryAfter(null);
  }
}
