package dev.persona.internal.session;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The products a session remembers for "continue where you left off": the recently viewed, most
 * recent first, and the open cart items, most recently added first. Bounded and immutable.
 */
public final class ProductMemory {
  static final ProductMemory NONE = new ProductMemory(SessionData.NO_KEYS, SessionData.NO_KEYS);

  final String[] recent;
  final String[] cart;

  ProductMemory(String[] recent, String[] cart) {
    this.recent = recent;
    this.cart = cart;
  }

  /** Returns the recently viewed product ids, most recent first; empty when none. */
  public Set<String> recentlyViewed() {
    return asSet(recent);
  }

  /** Returns the ids of the products in the open cart, most recently added first. */
  public Set<String> openCart() {
    return asSet(cart);
  }

  public boolean recentlyViewedIsEmpty() {
    return recent.length == 0;
  }

  public boolean openCartIsEmpty() {
    return cart.length == 0;
  }

  /** Returns the memory after one event of the given kind for the given product. */
  ProductMemory after(EventKind kind, String product, int maxRecent, int maxCart) {
    switch (kind) {
      case VIEW:
        return product == null ? this : of(toFront(recent, product, maxRecent), cart);
      case ADD:
        return product == null ? this : of(recent, toFront(cart, product, maxCart));
      case REMOVE:
        return product == null ? this : of(recent, without(cart, product));
      case PURCHASE:
        return cart.length == 0 ? this : of(recent, SessionData.NO_KEYS);
      default:
        return this;
    }
  }

  /**
   * Returns the products of two memories, each list the newer memory's first, then the older's not
   * already there, bounded as a session's.
   */
  static ProductMemory merge(ProductMemory newer, ProductMemory older, int maxRecent, int maxCart) {
    if (older.recent.length == 0 && older.cart.length == 0) {
      return newer;
    }
    if (newer.recent.length == 0 && newer.cart.length == 0) {
      return older;
    }
    return of(union(newer.recent, older.recent, maxRecent), union(newer.cart, older.cart, maxCart));
  }

  private static String[] union(String[] first, String[] then, int max) {
    LinkedHashSet<String> out = new LinkedHashSet<>(Arrays.asList(first));
    out.addAll(Arrays.asList(then));
    String[] all = out.toArray(SessionData.NO_KEYS);
    return all.length <= max ? all : Arrays.copyOf(all, max);
  }

  private static ProductMemory of(String[] recent, String[] cart) {
    return recent.length == 0 && cart.length == 0 ? NONE : new ProductMemory(recent, cart);
  }

  private static String[] toFront(String[] ids, String id, int max) {
    if (ids.length > 0 && ids[0].equals(id)) {
      return ids;
    }
    String[] out = new String[Math.min(max, without(ids, id).length + 1)];
    out[0] = id;
    int n = 1;
    for (String s : ids) {
      if (n == out.length) {
        break;
      }
      if (!s.equals(id)) {
        out[n++] = s;
      }
    }
    return out;
  }

  private static String[] without(String[] ids, String id) {
    int at = -1;
    for (int i = 0; i < ids.length; i++) {
      if (ids[i].equals(id)) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return ids;
    }
    String[] out = new String[ids.length - 1];
    System.arraycopy(ids, 0, out, 0, at);
    System.arraycopy(ids, at + 1, out, at, ids.length - at - 1);
    return out.length == 0 ? SessionData.NO_KEYS : out;
  }

  private static Set<String> asSet(String[] ids) {
    if (ids.length == 0) {
      return Set.of();
    }
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(ids)));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProductMemory m
        && Arrays.equals(recent, m.recent)
        && Arrays.equals(cart, m.cart);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(recent) * 31 + Arrays.hashCode(cart);
  }

  /** What an event does to the remembered products. */
  enum EventKind {
    NONE,
    VIEW,
    ADD,
    REMOVE,
    PURCHASE
  }
}
