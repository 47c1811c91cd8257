package dev.persona.internal.session;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a session entered the store: the traffic source, campaign and referrer host of its entry
 * landing, and when that landing was. Immutable, so shared between threads freely.
 *
 * <p>A landing is a request whose traffic source is external (anything but {@code internal}). The
 * entry is the winner of all the session's landings under {@link #merge}, a total order that does
 * not depend on the order the landings are applied in, nor on how often:
 *
 * <ol>
 *   <li>a <em>campaign landing</em> (one with a campaign) beats any landing without one; of
 *       campaign landings, the latest wins: a new campaign replaces the entry;
 *   <li>of landings without a campaign, one from another site or tagged with a source (any source
 *       but {@code direct}) beats a {@code direct} one, and of those the earliest wins: browsing on
 *       from a search or a link later does not change how the session came;
 *   <li>a {@code direct} landing (no Referer, no tag: also a reload, a typed address or an API
 *       call) is the entry only of a session that has no other, the earliest;
 *   <li>landings at the same millisecond are ordered by their texts, so that the winner is the same
 *       whichever came first.
 * </ol>
 *
 * <p>Applied in time order this is: the first external landing, replaced by each later campaign
 * landing (a direct one replaced by the first landing from elsewhere).
 */
public final class Entry {
  /** The traffic source of a landing without a Referer or campaign tags. */
  static final String DIRECT = "direct";

  private static final int DIRECT_RANK = 0;
  private static final int EXTERNAL_RANK = 1;
  private static final int CAMPAIGN_RANK = 2;

  final String source;
  final @Nullable String campaign;
  final @Nullable String referrerHost;
  final long atMillis;

  /**
   * @param source the landing's traffic source, not {@code internal}
   * @param campaign its campaign, or null
   * @param referrerHost its external referrer's host, or null
   * @param atMillis when it was
   */
  Entry(String source, @Nullable String campaign, @Nullable String referrerHost, long atMillis) {
    this.source = Objects.requireNonNull(source, "source");
    this.campaign = campaign;
    this.referrerHost = referrerHost;
    this.atMillis = atMillis;
  }

  /** Returns the traffic source of the entry landing. */
  public String source() {
    return source;
  }

  /** Returns the campaign of the entry landing, or null. */
  public @Nullable String campaign() {
    return campaign;
  }

  /** Returns the external referrer host of the entry landing, or null. */
  public @Nullable String referrerHost() {
    return referrerHost;
  }

  /** Returns when the entry landing was, epoch millis. */
  public long atMillis() {
    return atMillis;
  }

  private static int rank(String source, @Nullable String campaign) {
    return campaign != null ? CAMPAIGN_RANK : DIRECT.equals(source) ? DIRECT_RANK : EXTERNAL_RANK;
  }

  /**
   * Returns the entry of a session that had both landings: {@code a} or {@code b} itself, never a
   * new one; either when one is null. Commutative, associative and idempotent.
   */
  static @Nullable Entry merge(@Nullable Entry a, @Nullable Entry b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a.beats(b.source, b.campaign, b.referrerHost, b.atMillis) ? a : b;
  }

  /** Returns whether this entry wins over the landing given by its parts, or equals it. */
  boolean beats(
      String source, @Nullable String campaign, @Nullable String referrerHost, long atMillis) {
    int rank = rank(this.source, this.campaign);
    int other = rank(source, campaign);
    if (rank != other) {
      return rank > other;
    }
    if (this.atMillis != atMillis) {
      return rank == CAMPAIGN_RANK ? this.atMillis > atMillis : this.atMillis < atMillis;
    }
    int c = this.source.compareTo(source);
    if (c == 0) {
      c = compare(this.campaign, campaign);
    }
    if (c == 0) {
      c = compare(this.referrerHost, referrerHost);
    }
    return c <= 0;
  }

  private static int compare(@Nullable String a, @Nullable String b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : -1) : 1;
    }
    return a.compareTo(b);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entry e
        && atMillis == e.atMillis
        && source.equals(e.source)
        && Objects.equals(campaign, e.campaign)
        && Objects.equals(referrerHost, e.referrerHost);
  }

  @Override
  public int hashCode() {
    return Objects.hash(source, campaign, referrerHost, atMillis);
  }

  /** Returns no value: where a shopper came from is personal data. */
  @Override
  public String toString() {
    return "Entry{}";
  }
}
