package dev.persona;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One request of a shopper, as the storefront backend describes it to the engine: who (session and
 * optional user id), when, the request's headers and query parameters, what the shopper declared,
 * what the store knows about the customer, and the events since the previous call.
 *
 * <p>A visit is built from untrusted input, so building one never throws. What cannot be used (a
 * header, query parameter or attribute with a null name, a null event) is left out and listed in
 * {@link #problems()}, and the engine counts each in {@link EngineStats#rejectedInputs()} and flags
 * the decision {@link Decision.Flag#INPUT_REJECTED}; a null value is simply absent. A visit without
 * a session id is {@linkplain #isValid() invalid} and gets the default decision. Limits on sizes
 * are applied by the engine, which counts what it truncates.
 *
 * <pre>{@code
 * Visit visit = Visit.builder(sessionId)
 *     .header("User-Agent", request.getHeader("User-Agent"))
 *     .query("utm_source", request.getParameter("utm_source"))
 *     .declared("shopping_for_gift", true)
 *     .profile("orders", 3)
 *     .event(Event.builder("product_view").attribute("sku", "A1").attribute("on_sale", true).build())
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. Its {@code toString} leaves out ids and values.
 *
 * @since 0.1.0
 */
public final class Visit {
  private final @Nullable String sessionId;
  private final @Nullable String userId;
  private final @Nullable Instant timestamp;
  private final Map<String, String> headers;
  private final Map<String, String> query;
  private final Map<String, Object> declared;
  private final Map<String, Object> profile;
  private final List<Event> events;
  private final List<String> problems;

  private static final String NO_SESSION_ID = "no session id";

  private Visit(Builder b) {
    this.sessionId = b.sessionId;
    this.userId = b.userId;
    this.timestamp = b.timestamp;
    this.headers = freeze(b.headers);
    this.query = freeze(b.query);
    this.declared = freeze(b.declared);
    this.profile = freeze(b.profile);
    this.events = b.events.isEmpty() ? List.of() : List.copyOf(b.events);
    if (isValid()) {
      this.problems = b.problems.isEmpty() ? List.of() : List.copyOf(b.problems);
    } else {
      List<String> found = new ArrayList<>(b.problems);
      found.add(NO_SESSION_ID);
      this.problems = List.copyOf(found);
    }
  }

  private static <V> Map<String, V> freeze(Map<String, V> map) {
    return map.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  /**
   * Returns a builder for a visit of the given session.
   *
   * @param sessionId the session id; null or empty makes the visit invalid
   * @return a new builder
   */
  public static Builder builder(@Nullable String sessionId) {
    return new Builder(sessionId);
  }

  /**
   * Returns the session id.
   *
   * @return the session id, or null for an invalid visit
   */
  public @Nullable String sessionId() {
    return sessionId;
  }

  /**
   * Returns the signed-in user's id, when there is one.
   *
   * @return the user id, or null for an anonymous shopper
   */
  public @Nullable String userId() {
    return userId;
  }

  /**
   * Returns the time of the request, when the caller set it; otherwise the engine's clock is used.
   *
   * @return the request time, or null when the engine's clock is to be used
   */
  public @Nullable Instant timestamp() {
    return timestamp;
  }

  /**
   * Returns one header's value; names are case-insensitive, repeated headers are joined with {@code
   * ", "}.
   *
   * @param name the header name, in any case
   * @return the value, or null when absent
   */
  public @Nullable String header(@Nullable String name) {
    return name == null ? null : headers.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Returns all headers, keyed by lower-case name, unmodifiable.
   *
   * @return the headers
   */
  public Map<String, String> headers() {
    return headers;
  }

  /**
   * Returns the request's query parameters (first value of each), unmodifiable.
   *
   * @return the query parameters
   */
  public Map<String, String> query() {
    return query;
  }

  /**
   * Returns what the shopper declared (explicit signals), unmodifiable.
   *
   * @return declared attributes by key
   */
  public Map<String, Object> declared() {
    return declared;
  }

  /**
   * Returns what the store knows about the customer (orders to date, lifetime value, ...),
   * unmodifiable.
   *
   * @return profile facts by key
   */
  public Map<String, Object> profile() {
    return profile;
  }

  /**
   * Returns the events since the previous call, in order, unmodifiable.
   *
   * @return the events
   */
  public List<Event> events() {
    return events;
  }

  /**
   * Returns whether the visit can be personalized: it has a session id.
   *
   * @return true when valid
   */
  public boolean isValid() {
    return sessionId != null && !sessionId.isEmpty();
  }

  /**
   * Returns what was wrong with the input the visit was built from; empty when nothing was. The
   * input left out comes first, in the order it was given; an invalid visit ends the list with
   * {@code "no session id"}.
   *
   * @return readable descriptions, without the offending values
   */
  public List<String> problems() {
    return problems;
  }

  /** Returns the shape of the visit: counts and names, never ids or values. */
  @Override
  public String toString() {
    return "Visit{valid="
        + isValid()
        + ", headers="
        + headers.keySet()
        + ", query="
        + query.keySet()
        + ", declared="
        + declared.keySet()
        + ", profile="
        + profile.keySet()
        + ", events="
        + events.size()
        + "}";
  }

  /**
   * Builds a {@link Visit}. Never throws; see {@link Visit} for how bad input is handled. Not
   * thread-safe; use one builder per request.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final @Nullable String sessionId;
    private @Nullable String userId;
    private @Nullable Instant timestamp;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> query = new LinkedHashMap<>();
    private final Map<String, Object> declared = new LinkedHashMap<>();
    private final Map<String, Object> profile = new LinkedHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private Builder(String sessionId) {
      this.sessionId = sessionId;
    }

    /**
     * Sets the signed-in user's id.
     *
     * @param userId the user id, or null for an anonymous shopper
     * @return this builder
     */
    public Builder userId(@Nullable String userId) {
      this.userId = userId == null || userId.isEmpty() ? null : userId;
      return this;
    }

    /**
     * Sets the request time.
     *
     * @param timestamp the time, or null for the engine's clock
     * @return this builder
     */
    public Builder timestamp(@Nullable Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /**
     * Adds a header; a repeated name appends to the earlier value with {@code ", "}.
     *
     * @param name the header name, in any case
     * @param value the header value; a null value is ignored
     * @return this builder
     */
    public Builder header(@Nullable String name, @Nullable String value) {
      if (name == null) {
        problems.add("header with null name dropped");
      } else if (value != null) {
        headers.merge(name.toLowerCase(Locale.ROOT), value, (a, b) -> a + ", " + b);
      }
      return this;
    }

    /**
     * Adds headers from a map; see {@link #header(String, String)}.
     *
     * @param values headers by name; a null map is ignored
     * @return this builder
     */
    public Builder headers(@Nullable Map<String, String> values) {
      if (values != null) {
        values.forEach(this::header);
      }
      return this;
    }

    /**
     * Sets a query parameter; the first value set for a name is kept.
     *
     * @param name the parameter name
     * @param value the parameter value; a null value is ignored
     * @return this builder
     */
    public Builder query(@Nullable String name, @Nullable String value) {
      if (name == null) {
        problems.add("query parameter with null name dropped");
      } else if (value != null) {
        query.putIfAbsent(name, value);
      }
      return this;
    }

    /**
     * Sets query parameters from a map; see {@link #query(String, String)}.
     *
     * @param values parameters by name; a null map is ignored
     * @return this builder
     */
    public Builder query(@Nullable Map<String, String> values) {
      if (values != null) {
        values.forEach(this::query);
      }
      return this;
    }

    /**
     * Records something the shopper declared, such as {@code shopping_for_gift = true} or {@code
     * interests = ["hiking"]}. A later value for the same key replaces the earlier one.
     *
     * @param key the attribute key
     * @param value a String, Number, Boolean or collection of strings; null is ignored
     * @return this builder
     */
    public Builder declared(@Nullable String key, @Nullable Object value) {
      return put(declared, "declared", key, value);
    }

    /**
     * Records declared attributes from a map; see {@link #declared(String, Object)}.
     *
     * @param values attributes by key; a null map is ignored
     * @return this builder
     */
    public Builder declared(@Nullable Map<String, ?> values) {
      if (values != null) {
        values.forEach(this::declared);
      }
      return this;
    }

    /**
     * Records a fact the store knows about the customer, such as {@code orders = 3}.
     *
     * @param key the fact's key
     * @param value a String, Number, Boolean or collection of strings; null is ignored
     * @return this builder
     */
    public Builder profile(@Nullable String key, @Nullable Object value) {
      return put(profile, "profile", key, value);
    }

    /**
     * Records profile facts from a map; see {@link #profile(String, Object)}.
     *
     * @param values facts by key; a null map is ignored
     * @return this builder
     */
    public Builder profile(@Nullable Map<String, ?> values) {
      if (values != null) {
        values.forEach(this::profile);
      }
      return this;
    }

    /**
     * Adds an event that happened since the previous call.
     *
     * @param event the event; null is dropped
     * @return this builder
     */
    public Builder event(@Nullable Event event) {
      if (event == null) {
        problems.add("null event dropped");
      } else {
        for (int i = 0; i < event.nullNames; i++) {
          problems.add("event attribute with null name dropped");
        }
        events.add(event);
      }
      return this;
    }

    /**
     * Adds events in order; see {@link #event(Event)}.
     *
     * @param values the events; a null list is ignored
     * @return this builder
     */
    public Builder events(@Nullable List<Event> values) {
      if (values != null) {
        values.forEach(this::event);
      }
      return this;
    }

    private Builder put(Map<String, Object> target, String what, String key, Object value) {
      if (key == null) {
        problems.add(what + " attribute with null key dropped");
      } else if (value != null) {
        target.put(key, value);
      }
      return this;
    }

    /**
     * Builds the visit. Never throws.
     *
     * @return the immutable visit
     */
    public Visit build() {
      return new Visit(this);
    }
  }
}
