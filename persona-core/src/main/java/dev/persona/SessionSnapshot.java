package dev.persona;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the engine holds for one session, for support and debugging, read with {@link
 * PersonaEngine#inspect(String)}: each behaviour count's raw total and its decayed value at the
 * time of the look, the declared attributes, the declared consent, when the session was first and
 * last seen, its requests, the items in its cart, the products recently viewed and in the open
 * cart, the weights of categories and brands and the arms of sticky experiments it was given. The
 * same for a signed-in user's profile, read with {@link PersonaEngine#inspectUser(String)}, which
 * also counts the user's sessions and keeps no arms. A final class rather than a record, so that
 * fields can be added without breaking callers; build one for a test with {@link
 * #builder(Instant)}.
 *
 * <p>It holds personal data: treat it as the session's or the profile's state. Its {@link
 * #toString()} says how many of each there are, and no id or value.
 *
 * <p>Immutable and thread-safe: a snapshot.
 *
 * @since 0.5.0
 */
public final class SessionSnapshot {
  private final Instant at;
  private final Instant firstSeen;
  private final Instant lastSeen;
  private final long requests;
  private final Map<String, Integer> totals;
  private final Map<String, Double> counts;
  private final int cartItems;
  private final Map<String, Object> declared;
  private final @Nullable String consent;
  private final Map<String, String> arms;
  private final List<String> recentlyViewed;
  private final List<String> openCart;
  private final Map<String, Double> categories;
  private final Map<String, Double> brands;
  private final int sessions;

  private SessionSnapshot(Builder b) {
    this.at = b.at;
    this.firstSeen = b.firstSeen;
    this.lastSeen = b.lastSeen;
    this.requests = b.requests;
    this.totals = Collections.unmodifiableMap(new LinkedHashMap<>(b.totals));
    this.counts = Collections.unmodifiableMap(new LinkedHashMap<>(b.counts));
    this.cartItems = b.cartItems;
    this.declared = Collections.unmodifiableMap(new LinkedHashMap<>(b.declared));
    this.consent = b.consent;
    this.arms = Collections.unmodifiableMap(new LinkedHashMap<>(b.arms));
    this.recentlyViewed = List.copyOf(b.recentlyViewed);
    this.openCart = List.copyOf(b.openCart);
    this.categories = Collections.unmodifiableMap(new LinkedHashMap<>(b.categories));
    this.brands = Collections.unmodifiableMap(new LinkedHashMap<>(b.brands));
    this.sessions = b.sessions;
  }

  /**
   * Returns a builder of a snapshot taken at {@code at}, holding nothing; for tests.
   *
   * @param at when the snapshot is taken
   * @return a new builder
   * @throws NullPointerException if at is null
   */
  public static Builder builder(Instant at) {
    return new Builder(Objects.requireNonNull(at, "at"));
  }

  /**
   * Returns when the snapshot was taken, by the engine's clock: the time its {@link #counts()} are
   * decayed to.
   *
   * @return the time of the look
   */
  public Instant at() {
    return at;
  }

  /**
   * Returns when the session was first seen.
   *
   * @return the time of its first request
   */
  public Instant firstSeen() {
    return firstSeen;
  }

  /**
   * Returns when the session was last seen; the look itself does not change it.
   *
   * @return the time of its latest request
   */
  public Instant lastSeen() {
    return lastSeen;
  }

  /**
   * Returns how long the session has been idle at the time of the look: from {@link #lastSeen()} to
   * {@link #at()}, zero if the session was last seen later.
   *
   * @return the idle time, not negative
   */
  public Duration idle() {
    Duration d = Duration.between(lastSeen, at);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /**
   * Returns the number of requests the session made, as the {@code requests} signal.
   *
   * @return the requests counted
   */
  public long requests() {
    return requests;
  }

  /**
   * Returns the raw total of each behaviour count the session has, by signal key ({@code
   * product_views}, {@code cart_adds}, ...): the events counted, without decay.
   *
   * @return the totals, in the order of the built-in signals; only counts above zero
   */
  public Map<String, Integer> totals() {
    return totals;
  }

  /**
   * Returns the decayed value of each behaviour count at the time of the look, by signal key: what
   * a rule would test in a request at {@link #at()} that adds no event.
   *
   * @return the decayed counts, with the same keys as {@link #totals()}
   */
  public Map<String, Double> counts() {
    return counts;
  }

  /**
   * Returns the number of items in the session's cart, as the {@code cart_items} signal.
   *
   * @return the items, not negative
   */
  public int cartItems() {
    return cartItems;
  }

  /**
   * Returns the attributes the shopper declared and the session keeps, {@code consent} included.
   *
   * @return the declared attributes, in the order first declared
   */
  public Map<String, Object> declared() {
    return declared;
  }

  /**
   * Returns the consent the session declared last: {@code "granted"} or {@code "denied"}. Under a
   * denial the session keeps nothing else, and the snapshot shows nothing else.
   *
   * @return the declared consent, or null if the session never declared one
   */
  public @Nullable String consent() {
    return consent;
  }

  /**
   * Returns the arm of each sticky experiment the session was given, by experiment id: the variant
   * id, the earliest given where the session holds more than one (as for an anonymous session and
   * its user).
   *
   * @return the arms, earliest first
   */
  public Map<String, String> arms() {
    return arms;
  }

  /**
   * Returns the products viewed most recently, newest first, as the {@code recently_viewed} signal:
   * at most the last 12.
   *
   * @return product ids
   * @since 0.5.0
   */
  public List<String> recentlyViewed() {
    return recentlyViewed;
  }

  /**
   * Returns the products in the open cart, newest first, as the {@code open_cart} signal.
   *
   * @return product ids
   * @since 0.5.0
   */
  public List<String> openCart() {
    return openCart;
  }

  /**
   * Returns the weight of each category the shopper looked at, decayed to the time of the look:
   * what {@code top_category} (of a session) or {@code profile_top_category} (of a profile) picks
   * the heaviest of.
   *
   * @return weights by category, in the order kept
   * @since 0.5.0
   */
  public Map<String, Double> categories() {
    return categories;
  }

  /**
   * Returns the weight of each brand the shopper looked at, decayed to the time of the look.
   *
   * @return weights by brand, in the order kept
   * @since 0.5.0
   */
  public Map<String, Double> brands() {
    return brands;
  }

  /**
   * Returns how many sessions a profile took in, as the {@code previous_visits} signal counts them
   * for a session it has not taken in yet; 0 in a session's snapshot.
   *
   * @return the sessions counted, not negative
   * @since 0.5.0
   */
  public int sessions() {
    return sessions;
  }

  /**
   * Returns how many of each the snapshot holds, and no id or value: a session or a profile is
   * personal data.
   */
  @Override
  public String toString() {
    return "SessionSnapshot{requests="
        + requests
        + ", counts="
        + totals.size()
        + ", declared="
        + declared.size()
        + ", arms="
        + arms.size()
        + ", recentlyViewed="
        + recentlyViewed.size()
        + ", openCart="
        + openCart.size()
        + ", categories="
        + categories.size()
        + ", brands="
        + brands.size()
        + ", sessions="
        + sessions
        + "}";
  }

  /**
   * Builds a {@link SessionSnapshot}; for tests and for the engine. Not thread-safe.
   *
   * @since 0.5.0
   */
  public static final class Builder {
    private final Instant at;
    private Instant firstSeen;
    private Instant lastSeen;
    private long requests;
    private final Map<String, Integer> totals = new LinkedHashMap<>();
    private final Map<String, Double> counts = new LinkedHashMap<>();
    private int cartItems;
    private final Map<String, Object> declared = new LinkedHashMap<>();
    private @Nullable String consent;
    private final Map<String, String> arms = new LinkedHashMap<>();
    private final List<String> recentlyViewed = new ArrayList<>();
    private final List<String> openCart = new ArrayList<>();
    private final Map<String, Double> categories = new LinkedHashMap<>();
    private final Map<String, Double> brands = new LinkedHashMap<>();
    private int sessions;

    private Builder(Instant at) {
      this.at = at;
      this.firstSeen = at;
      this.lastSeen = at;
    }

    /**
     * Sets when the session was first and last seen.
     *
     * @param first the time of its first request
     * @param last the time of its latest request
     * @return this builder
     * @throws NullPointerException if either is null
     */
    public Builder seen(Instant first, Instant last) {
      this.firstSeen = Objects.requireNonNull(first, "first");
      this.lastSeen = Objects.requireNonNull(last, "last");
      return this;
    }

    /**
     * Sets the number of requests.
     *
     * @param n the requests, not negative
     * @return this builder
     * @throws IllegalArgumentException if n is negative
     */
    public Builder requests(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("requests must not be negative, was " + n);
      }
      this.requests = n;
      return this;
    }

    /**
     * Adds a behaviour count: its raw total and its decayed value at the time of the snapshot.
     *
     * @param key the signal key
     * @param total the events counted
     * @param decayed the decayed value
     * @return this builder
     * @throws NullPointerException if key is null
     */
    public Builder count(String key, int total, double decayed) {
      Objects.requireNonNull(key, "key");
      totals.put(key, total);
      counts.put(key, decayed);
      return this;
    }

    /**
     * Sets the number of items in the cart.
     *
     * @param items the items
     * @return this builder
     */
    public Builder cartItems(int items) {
      this.cartItems = items;
      return this;
    }

    /**
     * Adds a declared attribute; one with the key {@code consent} sets {@link #consent()} too.
     *
     * @param key the attribute
     * @param value its value
     * @return this builder
     * @throws NullPointerException if key or value is null
     */
    public Builder declared(String key, Object value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      declared.put(key, value);
      if (key.equals("consent")) {
        consent = String.valueOf(value);
      }
      return this;
    }

    /**
     * Adds the arm of a sticky experiment, unless one of the experiment is there already.
     *
     * @param experiment the experiment id
     * @param variant the variant id
     * @return this builder
     * @throws NullPointerException if either is null
     */
    public Builder arm(String experiment, String variant) {
      Objects.requireNonNull(experiment, "experiment");
      Objects.requireNonNull(variant, "variant");
      arms.putIfAbsent(experiment, variant);
      return this;
    }

    /**
     * Adds a product recently viewed, after those added before (newest first).
     *
     * @param product the product id
     * @return this builder
     * @throws NullPointerException if product is null
     * @since 0.5.0
     */
    public Builder viewed(String product) {
      recentlyViewed.add(Objects.requireNonNull(product, "product"));
      return this;
    }

    /**
     * Adds a product of the open cart, after those added before (newest first).
     *
     * @param product the product id
     * @return this builder
     * @throws NullPointerException if product is null
     * @since 0.5.0
     */
    public Builder inCart(String product) {
      openCart.add(Objects.requireNonNull(product, "product"));
      return this;
    }

    /**
     * Sets the weight of a category, decayed to the time of the snapshot.
     *
     * @param category the category
     * @param weight its weight
     * @return this builder
     * @throws NullPointerException if category is null
     * @since 0.5.0
     */
    public Builder category(String category, double weight) {
      categories.put(Objects.requireNonNull(category, "category"), weight);
      return this;
    }

    /**
     * Sets the weight of a brand, decayed to the time of the snapshot.
     *
     * @param brand the brand
     * @param weight its weight
     * @return this builder
     * @throws NullPointerException if brand is null
     * @since 0.5.0
     */
    public Builder brand(String brand, double weight) {
      brands.put(Objects.requireNonNull(brand, "brand"), weight);
      return this;
    }

    /**
     * Sets how many sessions a profile took in.
     *
     * @param n the sessions, not negative
     * @return this builder
     * @throws IllegalArgumentException if n is negative
     * @since 0.5.0
     */
    public Builder sessions(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("sessions must not be negative, was " + n);
      }
      this.sessions = n;
      return this;
    }

    /**
     * Returns the snapshot.
     *
     * @return an immutable snapshot
     */
    public SessionSnapshot build() {
      return new SessionSnapshot(this);
    }
  }
}
