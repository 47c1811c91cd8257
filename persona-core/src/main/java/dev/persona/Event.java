package dev.persona;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One thing the shopper did since the previous call: a product view, a cart add, a search.
 *
 * <p>Built types are {@code page_view}, {@code product_view}, {@code search}, {@code add_to_cart},
 * {@code remove_from_cart}, {@code begin_checkout}, {@code purchase}, {@code apply_coupon}, {@code
 * view_reviews}, {@code compare}, {@code share}, {@code add_to_wishlist} and {@code gift_option};
 * other types are counted as unknown, never rejected. Attributes the engine reads are {@code
 * product} (or {@code sku}), {@code category}, {@code brand}, {@code on_sale}, {@code quantity},
 * {@code query}, {@code path}, {@code sort}, and a purchase's {@code value} (a number) and {@code
 * order_id}; docs/signals.md gives the type each must have. {@code price} is not read.
 *
 * <p>Like {@link Visit}, an event is built from untrusted input and building one never throws: null
 * types and null attribute names or values are kept out and the event is still usable. Immutable
 * and thread-safe.
 *
 * @since 0.1.0
 */
public final class Event {
  private final String type;
  private final @Nullable Instant at;
  private final Map<String, Object> attributes;

  /** Attributes left out for a null name; the visit that gets the event reports them. */
  final int nullNames;

  private Event(String type, Instant at, Map<String, Object> attributes, int nullNames) {
    this.type = type;
    this.at = at;
    this.attributes = attributes;
    this.nullNames = nullNames;
  }

  /**
   * Returns an event of {@code type} with no attributes and no timestamp of its own.
   *
   * @param type the event type; null becomes the empty (unknown) type
   * @return the event
   */
  public static Event of(@Nullable String type) {
    return new Event(type == null ? "" : type, null, Map.of(), 0);
  }

  /**
   * Returns an event of {@code type} with the given attributes.
   *
   * @param type the event type; null becomes the empty (unknown) type
   * @param attributes attribute values; null map, names or values are dropped
   * @return the event
   */
  public static Event of(@Nullable String type, @Nullable Map<String, ?> attributes) {
    return builder(type).attributes(attributes).build();
  }

  /**
   * Returns a builder for an event of {@code type}.
   *
   * @param type the event type; null becomes the empty (unknown) type
   * @return a new builder
   */
  public static Builder builder(@Nullable String type) {
    return new Builder(type);
  }

  /**
   * Returns the event type, such as {@code product_view}; empty when none was given.
   *
   * @return the type, never null
   */
  public String type() {
    return type;
  }

  /**
   * Returns when the event happened, when the caller said so; otherwise the visit's time is used.
   *
   * @return the event's time, or null when the visit's time is to be used
   */
  public @Nullable Instant at() {
    return at;
  }

  /**
   * Returns the event's attributes, unmodifiable, in insertion order.
   *
   * @return the attributes, never null
   */
  public Map<String, Object> attributes() {
    return attributes;
  }

  /**
   * Returns one attribute.
   *
   * @param name the attribute name
   * @return its value, or null when absent
   */
  public @Nullable Object attribute(String name) {
    return attributes.get(name);
  }

  /** Returns the type and attribute names; values are left out as they may be personal data. */
  @Override
  public String toString() {
    return "Event{" + type + ", attributes=" + attributes.keySet() + "}";
  }

  /**
   * Builds an {@link Event}. Not thread-safe; use one builder per thread.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final String type;
    private @Nullable Instant at;
    private final Map<String, Object> attributes = new LinkedHashMap<>();
    private int nullNames;

    private Builder(String type) {
      this.type = type == null ? "" : type;
    }

    /**
     * Sets when the event happened.
     *
     * @param at the time, or null for the visit's time
     * @return this builder
     */
    public Builder at(@Nullable Instant at) {
      this.at = at;
      return this;
    }

    /**
     * Sets one attribute; a null value is ignored, and a null name is left out and reported by the
     * engine as rejected input of the visit that gets the event.
     *
     * @param name the attribute name
     * @param value a String, Number, Boolean or collection of strings
     * @return this builder
     */
    public Builder attribute(@Nullable String name, @Nullable Object value) {
      if (name == null) {
        nullNames++;
      } else if (value != null) {
        attributes.put(name, value);
      }
      return this;
    }

    /**
     * Sets several attributes; null maps, names and values are ignored.
     *
     * @param values the attributes to set
     * @return this builder
     */
    public Builder attributes(@Nullable Map<String, ?> values) {
      if (values != null) {
        values.forEach(this::attribute);
      }
      return this;
    }

    /**
     * Builds the event.
     *
     * @return the immutable event
     */
    public Event build() {
      return new Event(
          type,
          at,
          attributes.isEmpty()
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(attributes)),
          nullNames);
    }
  }
}
