package dev.persona.redis.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A decision that used state erased before it, with what the report needs to tell how: which
 * instance erased and which decided, how long after, whether the deciding instance had served the
 * session before the erasure (so held a copy of it), what gave the erased state away and the
 * decision's flags. Immutable.
 *
 * @param session a short hash of the session id ({@link #hash})
 * @param kind how the session was erased
 * @param erasedOn the instance the erasure was sent to
 * @param decidedOn the instance that decided
 * @param erasedAtMillis when the erasure was sent (epoch millis)
 * @param erasureMillis how long the erasure's request took, ms
 * @param erasureFailed whether the erasing instance reported the erasure failed
 * @param sentAtMillis when the decision was sent (epoch millis)
 * @param atMillis when the decision was answered (epoch millis)
 * @param requestsAfter which request after the erasure's the decision was (1: the next one)
 * @param servedBeforeMillis how long before the erasure was sent the deciding instance last
 *     answered a request of the session (ms), or -1 if it never had
 * @param degradedBefore whether that instance's last decision of the session before the erasure was
 *     flagged {@code STORE_DEGRADED}
 * @param evidence what gave the erased state away: the visits counted against those sent since the
 *     erasure, and the erased products among the recently viewed
 * @param flags the decision's flags
 */
record ErasedUse(
    String session,
    Shopper.Erasure kind,
    int erasedOn,
    int decidedOn,
    long erasedAtMillis,
    long erasureMillis,
    boolean erasureFailed,
    long sentAtMillis,
    long atMillis,
    int requestsAfter,
    long servedBeforeMillis,
    boolean degradedBefore,
    String evidence,
    String flags) {

  /** The most uses the report lists one by one. */
  static final int SHOWN = 8;

  /** Returns whether the decision was flagged {@code STORE_DEGRADED}. */
  boolean degraded() {
    return flags.contains("STORE_DEGRADED");
  }

  /** Returns one line of the report, indented. */
  String line() {
    return String.format(
        Locale.ROOT,
        "    session %s: %s on i%d (%s, %d ms) -> decision on i%d, request +%d, sent %d ms after"
            + " the erasure (answered +%d ms); i%d served it before: %s; %s; flags [%s]%n",
        session,
        kind,
        erasedOn,
        erasureFailed ? "reported failed" : "done",
        erasureMillis,
        decidedOn,
        requestsAfter,
        sentAtMillis - erasedAtMillis,
        atMillis - erasedAtMillis,
        decidedOn,
        servedBeforeMillis < 0
            ? "no"
            : "yes, " + servedBeforeMillis + " ms before" + (degradedBefore ? ", degraded" : ""),
        evidence,
        flags);
  }

  /** Returns the report's lines for these uses: at most {@link #SHOWN}, and a count of the rest. */
  static String lines(List<ErasedUse> uses) {
    StringBuilder out = new StringBuilder();
    uses.stream().limit(SHOWN).forEach(u -> out.append(u.line()));
    if (uses.size() > SHOWN) {
      out.append("    ... and ").append(uses.size() - SHOWN).append(" more\n");
    }
    return out.toString();
  }

  /** Returns the first 8 hex digits of the SHA-256 of a session id: no id in the report. */
  static String hash(String sessionId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
