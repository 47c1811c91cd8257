package dev.persona.internal.log;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.Signal;
import dev.persona.VariantChoice;
import dev.persona.internal.experiment.OutcomeKeys;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes the lines of the decision log, format {@link #VERSION} (docs/decision-log.md): one JSON
 * object per line, flat but for the maps of scores, placements and signals. Written by hand, as the
 * format needs only strings, numbers, booleans, arrays of strings and objects of them. Not
 * thread-safe: one per writer thread.
 */
public final class LogLines {
  /** The format's version, the {@code "v"} of every line. */
  public static final int VERSION = 1;

  private final KeyedHash hash;
  private final boolean signals;
  private final StringBuilder sb = new StringBuilder(1024);

  /**
   * @param hash hashes session and user ids
   * @param signals whether decisions carry their signals
   */
  public LogLines(KeyedHash hash, boolean signals) {
    this.hash = hash;
    this.signals = signals;
  }

  /**
   * Returns the line of one decision, without its line break. A decision under limited consent
   * carries neither the session, the user nor the signals.
   *
   * @param at when it was made
   * @param sessionId the visit's session id, or null for none
   * @param userId the visit's user id, or null for none
   */
  public String decision(
      Decision d, Instant at, @Nullable String sessionId, @Nullable String userId) {
    sb.setLength(0);
    sb.append("{\"v\":").append(VERSION).append(",\"type\":\"decision\",\"id\":");
    string(d.id());
    sb.append(",\"at\":");
    string(at.toString());
    boolean full = d.consent() == ConsentMode.FULL;
    if (full && sessionId != null) {
      sb.append(",\"session\":");
      string(hash.session(sessionId));
    }
    if (full && userId != null) {
      sb.append(",\"user\":");
      string(hash.user(userId));
    }
    sb.append(",\"rules\":");
    string(d.ruleSetVersion());
    sb.append(",\"consent\":");
    string(d.consent().name().toLowerCase(Locale.ROOT));
    boolean holdout = false;
    for (VariantChoice c : d.variants().values()) {
      holdout |= c.holdout();
    }
    sb.append(",\"holdout\":").append(holdout);
    sb.append(",\"persona\":");
    nullable(d.persona());
    sb.append(",\"lifecycle\":");
    nullable(d.lifecycle());
    sb.append(",\"stage\":");
    nullable(d.stage());
    sb.append(",\"scores\":{");
    String sep = "";
    for (Map.Entry<String, Double> s : d.scores().entrySet()) {
      sb.append(sep);
      string(s.getKey());
      sb.append(':');
      number(s.getValue());
      sep = ",";
    }
    sb.append("},\"placements\":{");
    sep = "";
    for (VariantChoice c : d.variants().values()) {
      sb.append(sep);
      string(c.placement());
      sb.append(":{\"variant\":");
      string(c.variant());
      sb.append(",\"basis\":");
      string(c.basis().name().toLowerCase(Locale.ROOT));
      if (c.experiment() != null) {
        sb.append(",\"experiment\":");
        string(c.experiment());
      }
      sb.append(",\"p\":");
      number(c.probability());
      if (!c.counted()) {
        sb.append(",\"counted\":false");
      }
      sb.append('}');
      sep = ",";
    }
    sb.append('}');
    if (signals && full) {
      sb.append(",\"signals\":{");
      sep = "";
      for (Signal s : d.signals()) {
        sb.append(sep);
        string(s.key());
        sb.append(':');
        value(s.value());
        sep = ",";
      }
      sb.append('}');
    }
    if (!d.flags().isEmpty()) {
      sb.append(",\"flags\":[");
      sep = "";
      for (Decision.Flag f : d.flags()) {
        sb.append(sep);
        string(f.name().toLowerCase(Locale.ROOT));
        sep = ",";
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  /**
   * Returns the line of one outcome, without its line break: its decision, kind, placement, variant
   * and value, and the keyed hash of its store id; never the session or the outcome's own id, which
   * may be an order id.
   *
   * @param at when it was logged
   * @param key the {@linkplain #outcomeKey key} of the outcome, or null for one without an id
   */
  public String outcome(Outcome o, Instant at, @Nullable String key) {
    sb.setLength(0);
    sb.append("{\"v\":").append(VERSION).append(",\"type\":\"outcome\",\"decision\":");
    nullable(o.decisionId());
    sb.append(",\"at\":");
    string(at.toString());
    sb.append(",\"kind\":");
    string(o.kind().name().toLowerCase(Locale.ROOT));
    sb.append(",\"placement\":");
    string(o.placement());
    sb.append(",\"variant\":");
    string(o.variant());
    sb.append(",\"value\":");
    number(o.value());
    if (key != null) {
      sb.append(",\"key\":");
      string(key);
    }
    return sb.append('}').toString();
  }

  /**
   * Returns the {@code "key"} of an outcome's line: the keyed hash of the id the statistics count
   * it once by ({@link OutcomeKeys#of(Outcome)}), the same for the same id, kind and placement
   * however often and by whom it is logged; null for an outcome without an id, which counts every
   * time.
   */
  public @Nullable String outcomeKey(Outcome o) {
    String storeId = OutcomeKeys.of(o);
    return storeId == null ? null : hash.outcome(storeId);
  }

  private void value(Object v) {
    if (v instanceof Double d) {
      number(d);
    } else if (v instanceof Boolean b) {
      sb.append(b.booleanValue());
    } else if (v instanceof Collection<?> c) {
      sb.append('[');
      String sep = "";
      for (Object item : c) {
        sb.append(sep);
        string(String.valueOf(item));
        sep = ",";
      }
      sb.append(']');
    } else {
      string(String.valueOf(v));
    }
  }

  private void number(double d) {
    if (Double.isFinite(d)) {
      sb.append(d);
    } else {
      sb.append("null");
    }
  }

  private void nullable(@Nullable String s) {
    if (s == null) {
      sb.append("null");
    } else {
      string(s);
    }
  }

  /** Appends a JSON string: quotes, backslashes, controls and lone surrogates escaped. */
  private void string(String s) {
    sb.append('"');
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        escape(c);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          sb.append(c).append(s.charAt(++i));
        } else {
          escape(c);
        }
      } else if (Character.isLowSurrogate(c)) {
        escape(c);
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  private void escape(char c) {
    sb.append("\\u");
    String hex = Integer.toHexString(c);
    for (int k = hex.length(); k < 4; k++) {
      sb.append('0');
    }
    sb.append(hex);
  }
}
