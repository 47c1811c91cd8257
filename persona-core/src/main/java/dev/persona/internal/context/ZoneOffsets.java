package dev.persona.internal.context;

import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A time zone's UTC offset at an instant, without allocating once warm: remembers the stretch
 * between two transitions that the latest instant fell in. {@code ZonedDateTime.ofInstant} costs a
 * {@code ZonedDateTime}, and for a {@code ZoneOffset} zone a fresh {@code ZoneRules} with its
 * cache, on every call. Thread-safe: the stretch is an immutable object, replaced whole.
 */
public final class ZoneOffsets {
  private static final Map<ZoneId, ZoneOffsets> ZONES = new ConcurrentHashMap<>();
  private static final int MAX_ZONES = 1024;

  private final ZoneRules rules;
  private Stretch stretch;

  private ZoneOffsets(ZoneId zone) {
    this.rules = zone.getRules();
  }

  /**
   * Returns the offsets of {@code zone}; shared for the zones seen often.
   *
   * @param zone the zone
   * @return its offsets
   */
  public static ZoneOffsets of(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    ZoneOffsets known = ZONES.get(zone);
    if (known != null) {
      return known;
    }
    if (ZONES.size() >= MAX_ZONES) {
      return new ZoneOffsets(zone);
    }
    return ZONES.computeIfAbsent(zone, ZoneOffsets::new);
  }

  /**
   * Returns the zone's offset from UTC at an instant.
   *
   * @param epochSecond the instant, in seconds since the epoch, within {@link Instant}'s range
   * @return the offset in seconds
   */
  public int offsetSeconds(long epochSecond) {
    Stretch s = stretch;
    if (s != null && epochSecond >= s.from && epochSecond < s.until) {
      return s.offset;
    }
    s = stretchAt(epochSecond);
    stretch = s;
    return s.offset;
  }

  private Stretch stretchAt(long epochSecond) {
    Instant at = Instant.ofEpochSecond(epochSecond);
    int offset = rules.getOffset(at).getTotalSeconds();
    if (rules.isFixedOffset()) {
      return new Stretch(Long.MIN_VALUE, Long.MAX_VALUE, offset);
    }
    ZoneOffsetTransition next = rules.nextTransition(at);
    ZoneOffsetTransition previous = rules.previousTransition(at);
    long until = next == null ? Long.MAX_VALUE : next.toEpochSecond();
    long from = previous == null ? Long.MIN_VALUE : previous.toEpochSecond();
    // A transition exactly at the instant is neither "previous" nor "next"; keep only what is sure.
    if (from != Long.MIN_VALUE
        && rules.getOffset(Instant.ofEpochSecond(from)).getTotalSeconds() != offset) {
      from = epochSecond;
    }
    if (until <= epochSecond) {
      until = epochSecond + 1;
    }
    return new Stretch(from, until, offset);
  }

  /** Seconds [from, until) with one offset. */
  private static final class Stretch {
    final long from;
    final long until;
    final int offset;

    Stretch(long from, long until, int offset) {
      this.from = from;
      this.until = until;
      this.offset = offset;
    }
  }
}
