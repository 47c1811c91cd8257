package dev.persona.internal.session;

import java.util.Map;

/**
 * What one visit adds to its session, prepared outside the store's update function so that the
 * update is pure and cheap: counter bumps with their times, affinities, the cart change and the
 * declared attributes.
 *
 * @param atMillis the visit's time
 * @param bumps for each event: the counters it bumps, as a bit set of {@link Counter} ordinals
 * @param bumpTimes for each event: its time in epoch millis, at most {@code atMillis}
 * @param categories for each event: its category (lower case, bounded), or null
 * @param brands for each event: its brand (lower case, bounded), or null
 * @param cartDelta for each event: the change of open cart items; {@link Integer#MIN_VALUE} empties
 *     the cart (a purchase)
 * @param products for each event: the product it concerns (bounded), or null
 * @param orderValues for each event: a purchase's order value, else 0
 * @param declared declared attributes to keep, already normalised and bounded
 */
public record Activity(
    long atMillis,
    int[] bumps,
    long[] bumpTimes,
    String[] categories,
    String[] brands,
    int[] cartDelta,
    String[] products,
    double[] orderValues,
    Map<String, Object> declared) {

  public static final int EMPTY_CART = Integer.MIN_VALUE;

  public int events() {
    return bumps.length;
  }
}
