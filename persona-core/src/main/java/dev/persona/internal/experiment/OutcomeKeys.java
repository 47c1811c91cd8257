package dev.persona.internal.experiment;

import dev.persona.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * The ids the engine hands to a {@link dev.persona.spi.StatsStore} with each increment: 32
 * lower-case hex digits, the first 128 bits of SHA-256 of the outcome's kind, placement and the
 * {@linkplain #digest digest} of its id. The same outcome always gets the same one, on every
 * instance; a store keeps it without learning the order or decision id it came from, and needs no
 * more room for a long id. A session keeps the digests of its purchases' and adds to cart's event
 * ids, never the ids, and credits them later with the same outcome ids; the outcomes a credit tells
 * listeners have as their id {@code "event:"} and the digest in 32 hex digits ({@link #eventId}),
 * which digests to itself here, so that such an outcome recorded or logged again has the credit's
 * store id. Thread-safe.
 */
public final class OutcomeKeys {
  private static final ThreadLocal<MessageDigest> SHA256 =
      ThreadLocal.withInitial(OutcomeKeys::sha256);

  private OutcomeKeys() {}

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** The start of the {@linkplain #eventId id of a credited event}. */
  private static final String EVENT = "event:";

  /**
   * Returns the first 128 bits of SHA-256 of an outcome's or event's id, as two longs; for an
   * {@linkplain #eventId event's id}, the digest it carries.
   */
  static long[] digest(String id) {
    if (isEventId(id)) {
      int at = EVENT.length();
      return new long[] {
        Long.parseUnsignedLong(id, at, at + 16, 16),
        Long.parseUnsignedLong(id, at + 16, at + 32, 16)
      };
    }
    byte[] hash = SHA256.get().digest(id.getBytes(StandardCharsets.UTF_8));
    return new long[] {longAt(hash, 0), longAt(hash, 8)};
  }

  /** Returns whether {@code id} is an {@linkplain #eventId event's id}. */
  private static boolean isEventId(String id) {
    if (id.length() != EVENT.length() + 32 || !id.startsWith(EVENT)) {
      return false;
    }
    for (int i = EVENT.length(); i < id.length(); i++) {
      char c = id.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the id of the outcome a credit tells listeners: {@code "event:"} and the event id's
   * {@linkplain #digest digest} in 32 lower-case hex digits, which says nothing of the order id.
   */
  static String eventId(long high, long low) {
    HexFormat hex = HexFormat.of();
    return EVENT + hex.toHexDigits(high) + hex.toHexDigits(low);
  }

  /**
   * Returns the store's id of an outcome: that of its {@linkplain Outcome#id() id}, kind and
   * placement, or null when it has no id and counts every time.
   */
  public static @Nullable String of(Outcome outcome) {
    String id = outcome.id();
    return id == null ? null : of(outcome.kind(), outcome.placement(), id);
  }

  /** Returns the store's id of the outcome {@code id} of {@code kind} in {@code placement}. */
  static String of(Outcome.Kind kind, String placement, String id) {
    long[] d = digest(id);
    return of(kind, placement, d[0], d[1]);
  }

  /**
   * Returns the store's id of the outcome of {@code kind} in {@code placement} whose id has the
   * {@linkplain #digest digest} {@code high}, {@code low}.
   */
  static String of(Outcome.Kind kind, String placement, long high, long low) {
    MessageDigest d = SHA256.get();
    d.update(kind.name().getBytes(StandardCharsets.US_ASCII));
    d.update((byte) 0);
    byte[] p = placement.getBytes(StandardCharsets.UTF_8);
    d.update(Integer.toString(p.length).getBytes(StandardCharsets.US_ASCII));
    d.update((byte) ':');
    d.update(p);
    byte[] id = new byte[16];
    for (int i = 0; i < 8; i++) {
      id[i] = (byte) (high >>> (56 - 8 * i));
      id[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    byte[] hash = d.digest(id);
    return HexFormat.of().formatHex(hash, 0, 16);
  }

  private static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }
}
