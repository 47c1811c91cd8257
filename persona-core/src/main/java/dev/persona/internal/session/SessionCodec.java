package dev.persona.internal.session;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The versioned byte form of {@link SessionData}.
 *
 * <p>Format 1: the magic bytes {@code 'P' 'S'}, a format byte, then first and last seen (epoch
 * millis), requests, cart items; counters as (key, decayed, total), so that counters added or
 * removed later do not break old states; category and brand affinities as (key, weight); declared
 * attributes as (key, tag, value) with tags {@code T} text, {@code N} number, {@code F} flag,
 * {@code S} set. Strings are modified UTF-8 as {@link DataOutputStream#writeUTF} writes them.
 *
 * <p>Format 2 adds, at the end: the recently viewed product ids and the open cart's product ids,
 * each as a count and strings; then the last exposure per placement as (placement, variant,
 * segment, epoch millis). Format 1 is still read, as a state without them.
 *
 * <p>Format 3 adds, at the end: when each declared attribute was declared (epoch millis, in the
 * order of the attributes), then the ids of the latest changes applied, as a count and longs.
 * Formats 1 and 2 are still read: their attributes count as declared at the last visit, and no
 * change id is remembered.
 *
 * <p>Format 4 adds, at the end: the latest conversions, as a count and (first and last 64 bits of
 * the event id's digest, kind {@code P} purchase or {@code C} add to cart, epoch millis, order
 * value); and the exposures may hold several of one placement. Formats 1 to 3 are still read, as
 * states without conversions.
 *
 * <p>Format 5 adds, at the end: the arms given in sticky experiments, as a count and (placement,
 * experiment, visitor key, variant, epoch millis). Formats 1 to 4 are still read, as states without
 * them. A state without such arms is written as format 4, which the engines of the version before
 * read, so that instances of both versions share sessions during a rolling upgrade until a sticky
 * experiment runs.
 *
 * <p>Format 6 adds, at the end: how each exposure's variant was chosen, the row its credits count
 * in ({@link Exposures#tag}, empty when unknown), in the order of the exposures. Formats 1 to 5 are
 * still read, as states whose exposures have no basis. A state whose exposures have none is written
 * as format 5 or 4, as before.
 *
 * <p>Format 7 adds, at the end: the session's {@link Entry}, as its traffic source, a flag and the
 * campaign, a flag and the referrer host, and its epoch millis. Formats 1 to 6 are still read, as
 * states without an entry. A state without an entry is written as format 6, 5 or 4, as before, so
 * that sessions whose every request was in-site stay readable by the version before; a state with
 * one writes every part of format 6 too.
 *
 * <p>Format 8 adds, at the end: a flag and the entry (which format 7 always has), then what
 * profiles need: a flag and the session's {@link Identity} (user key, since, token), then a
 * profile's {@link Visits} (count, then the number kept and each as token, first and last seen).
 * Formats 1 to 7 are still read, as states without them. A state without them is written as before,
 * so that sessions stay readable by the version before while the engine keeps no profiles or the
 * session was never signed in.
 *
 * <p>Format 9 adds, at the end: the id of the decision each exposure showed (empty when unknown),
 * in the order of the exposures, which the exposures' credits carry to listeners. Formats 1 to 8
 * are still read, as states whose exposures have no decision id. A state whose exposures have none
 * is written as before; a state with one writes every part of format 8 too.
 *
 * <p>Format 10 adds, at the end: when the latest denial of consent that a grant lifted was made,
 * and when the earliest grant after it was (epoch millis). Formats 1 to 9 are still read, as states
 * with no denial lifted. A state with none is written as before; a state with one writes every part
 * of format 9 too.
 */
public final class SessionCodec {
  static final int FORMAT = 10;
  private static final int MAX_ENTRIES = 4096;

  private SessionCodec() {}

  static byte[] encode(SessionData s) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      Assignments a = s.outcomes.assignments;
      out.writeByte('P');
      out.writeByte('S');
      boolean tagged = s.outcomes.exposures.tagged();
      Entry entry = s.entry;
      boolean profiled = s.identity != null || s.visits.size() > 0 || s.visits.count > 0;
      boolean decided = s.outcomes.exposures.withDecisions();
      boolean lifted = s.liftedDenial != SessionData.NO_DENIAL;
      int format =
          lifted
              ? 10
              : decided ? 9 : profiled ? 8 : entry != null ? 7 : tagged ? 6 : a.size() == 0 ? 4 : 5;
      out.writeByte(format);
      out.writeLong(s.firstSeen);
      out.writeLong(s.lastSeen);
      out.writeInt(s.requests);
      out.writeInt(s.cartItems);
      int[] totals = s.denseTotals();
      double[] decayed = s.denseDecayed();
      int used = 0;
      for (int t : totals) {
        if (t > 0) {
          used++;
        }
      }
      out.writeShort(used);
      for (int i = 0; i < totals.length; i++) {
        if (totals[i] > 0) {
          out.writeUTF(Counter.at(i).key());
          out.writeDouble(decayed[i]);
          out.writeInt(totals[i]);
        }
      }
      writeWeights(out, s.categoryKeys, s.categoryWeights);
      writeWeights(out, s.brandKeys, s.brandWeights);
      out.writeShort(s.declaredKeys.length);
      for (int i = 0; i < s.declaredKeys.length; i++) {
        out.writeUTF(s.declaredKeys[i]);
        writeValue(out, s.declaredValues[i]);
      }
      writeKeys(out, s.products.recent);
      writeKeys(out, s.products.cart);
      Exposures x = s.outcomes.exposures;
      out.writeShort(x.size());
      for (int i = 0; i < x.size(); i++) {
        out.writeUTF(x.placements[i]);
        out.writeUTF(x.variants[i]);
        out.writeUTF(x.segments[i]);
        out.writeLong(x.times[i]);
      }
      for (long t : s.declaredTimes) {
        out.writeLong(t);
      }
      out.writeShort(s.applied.length);
      for (long id : s.applied) {
        out.writeLong(id);
      }
      Conversions c = s.outcomes.conversions;
      out.writeShort(c.size());
      for (int i = 0; i < c.size(); i++) {
        out.writeLong(c.idHigh(i));
        out.writeLong(c.idLow(i));
        out.writeByte(c.purchase(i) ? 'P' : 'C');
        out.writeLong(c.atMillis(i));
        out.writeDouble(c.value(i));
      }
      if (format >= 5) {
        out.writeShort(a.size());
        for (int i = 0; i < a.size(); i++) {
          out.writeUTF(a.placements[i]);
          out.writeUTF(a.experiments[i]);
          out.writeLong(a.visitors[i]);
          out.writeUTF(a.variants[i]);
          out.writeLong(a.times[i]);
        }
      }
      if (format >= 6) {
        for (int i = 0; i < x.size(); i++) {
          out.writeUTF(x.tags[i]);
        }
      }
      if (format >= 8) {
        out.writeBoolean(entry != null);
      }
      if (entry != null) {
        out.writeUTF(entry.source);
        writeOptional(out, entry.campaign);
        writeOptional(out, entry.referrerHost);
        out.writeLong(entry.atMillis);
      }
      if (format >= 8) {
        Identity id = s.identity;
        out.writeBoolean(id != null);
        if (id != null) {
          out.writeLong(id.user);
          out.writeLong(id.since);
          out.writeLong(id.token);
        }
        out.writeInt(s.visits.count);
        out.writeShort(s.visits.size());
        for (long r : s.visits.records) {
          out.writeLong(r);
        }
      }
      if (format >= 9) {
        for (int i = 0; i < x.size(); i++) {
          out.writeUTF(x.decisions[i]);
        }
      }
      if (format >= 10) {
        out.writeLong(s.liftedDenial);
        out.writeLong(s.liftingGrant);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Decodes a state.
   *
   * @throws IllegalArgumentException if the bytes are not a readable state
   */
  public static SessionData decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readByte() != 'P' || in.readByte() != 'S') {
        throw new IllegalArgumentException("not a Persona session state");
      }
      int format = in.readUnsignedByte();
      if (format < 1 || format > FORMAT) {
        throw new IllegalArgumentException(
            "session state format "
                + format
                + " is not readable; this engine reads formats 1 to "
                + FORMAT);
      }
      long firstSeen = in.readLong();
      long lastSeen = in.readLong();
      int requests = nonNegative(in.readInt());
      int cart = nonNegative(in.readInt());
      double[] decayed = new double[Counter.count()];
      int[] totals = new int[Counter.count()];
      int counters = entries(in.readUnsignedShort());
      for (int i = 0; i < counters; i++) {
        Counter c = Counter.byKey(in.readUTF());
        double d = finite(in.readDouble());
        int t = nonNegative(in.readInt());
        if (c != null) {
          decayed[c.ordinal()] = d;
          totals[c.ordinal()] = t;
        }
      }
      List<String> cKeys = new ArrayList<>();
      double[] cWeights = readWeights(in, cKeys);
      List<String> bKeys = new ArrayList<>();
      double[] bWeights = readWeights(in, bKeys);
      int declared = entries(in.readUnsignedShort());
      String[] dKeys = declared == 0 ? SessionData.NO_KEYS : new String[declared];
      Object[] dValues = declared == 0 ? SessionData.NO_VALUES : new Object[declared];
      for (int i = 0; i < declared; i++) {
        dKeys[i] = in.readUTF();
        dValues[i] = readValue(in);
      }
      ProductMemory products = ProductMemory.NONE;
      Exposures exposures = Exposures.NONE;
      if (format >= 2) {
        String[] recent = readKeys(in);
        String[] open = readKeys(in);
        if (recent.length > 0 || open.length > 0) {
          products = new ProductMemory(recent, open);
        }
        int n = entries(in.readUnsignedShort());
        if (n > 0) {
          String[] p = new String[n];
          String[] v = new String[n];
          String[] g = new String[n];
          long[] t = new long[n];
          for (int i = 0; i < n; i++) {
            p[i] = in.readUTF();
            v[i] = in.readUTF();
            g[i] = in.readUTF();
            t[i] = in.readLong();
          }
          String[] tags = new String[n];
          Arrays.fill(tags, "");
          String[] decisions = new String[n];
          Arrays.fill(decisions, "");
          exposures = new Exposures(p, v, g, t, tags, decisions);
        }
      }
      long[] dTimes = declared == 0 ? SessionData.NO_TIMES : new long[declared];
      long[] applied = SessionData.NO_TIMES;
      if (format >= 3) {
        for (int i = 0; i < declared; i++) {
          dTimes[i] = in.readLong();
        }
        int n = in.readUnsignedShort();
        if (n > SessionData.APPLIED_WINDOW) {
          throw new IllegalArgumentException("session state has too many change ids: " + n);
        }
        applied = new long[n];
        for (int i = 0; i < n; i++) {
          applied[i] = in.readLong();
        }
      } else {
        Arrays.fill(dTimes, lastSeen);
      }
      Conversions conversions = Conversions.NONE;
      if (format >= 4) {
        conversions = readConversions(in);
      }
      Assignments assignments = Assignments.NONE;
      if (format >= 5) {
        assignments = readAssignments(in);
      }
      if (format >= 6) {
        for (int i = 0; i < exposures.size(); i++) {
          exposures.tags[i] = in.readUTF();
        }
      }
      Entry entry = null;
      if (format == 7 || (format >= 8 && in.readBoolean())) {
        entry = new Entry(in.readUTF(), readOptional(in), readOptional(in), in.readLong());
      }
      Identity identity = null;
      Visits visits = Visits.NONE;
      if (format >= 8) {
        if (in.readBoolean()) {
          identity = new Identity(in.readLong(), in.readLong(), in.readLong());
        }
        int count = nonNegative(in.readInt());
        int n = in.readUnsignedShort();
        if (n > Visits.MAX || n > count) {
          throw new IllegalArgumentException("session state has too many visits: " + n);
        }
        if (count > 0) {
          long[] records = new long[3 * n];
          for (int i = 0; i < records.length; i++) {
            records[i] = in.readLong();
          }
          visits = new Visits(count, records);
        }
      }
      if (format >= 9) {
        for (int i = 0; i < exposures.size(); i++) {
          exposures.decisions[i] = in.readUTF();
        }
      }
      long liftedDenial = SessionData.NO_DENIAL;
      long liftingGrant = SessionData.NO_DENIAL;
      if (format >= 10) {
        liftedDenial = in.readLong();
        liftingGrant = in.readLong();
        if (liftedDenial == SessionData.NO_DENIAL || liftingGrant < liftedDenial) {
          throw new IllegalArgumentException("session state has a malformed lifted denial");
        }
      }
      if (in.read() != -1) {
        throw new IllegalArgumentException("session state has trailing bytes");
      }
      byte[] seen = SessionData.counters(SessionData.maskOf(totals));
      return new SessionData(
          firstSeen,
          lastSeen,
          requests,
          seen,
          SessionData.sparse(decayed, seen),
          SessionData.sparse(totals, seen),
          cart,
          cKeys.toArray(SessionData.NO_KEYS),
          cWeights,
          bKeys.toArray(SessionData.NO_KEYS),
          bWeights,
          dKeys,
          dValues,
          dTimes,
          products,
          OutcomeMemory.of(exposures, conversions, assignments),
          applied,
          entry,
          identity,
          visits,
          0,
          0,
          0,
          liftedDenial,
          liftingGrant);
    } catch (IOException e) {
      throw new IllegalArgumentException("session state is truncated or corrupt", e);
    }
  }

  private static Conversions readConversions(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    if (n > Conversions.MAX) {
      throw new IllegalArgumentException("session state has too many conversions: " + n);
    }
    long[] high = new long[n];
    long[] low = new long[n];
    boolean[] purchase = new boolean[n];
    long[] times = new long[n];
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      high[i] = in.readLong();
      low[i] = in.readLong();
      int kind = in.readUnsignedByte();
      if (kind != 'P' && kind != 'C') {
        throw new IllegalArgumentException("session state has an unknown conversion kind " + kind);
      }
      purchase[i] = kind == 'P';
      times[i] = in.readLong();
      values[i] = finite(in.readDouble());
    }
    return Conversions.of(high, low, purchase, times, values, Conversions.MAX);
  }

  private static Assignments readAssignments(DataInputStream in) throws IOException {
    int n = in.readUnsignedShort();
    if (n > Assignments.MAX) {
      throw new IllegalArgumentException("session state has too many assignments: " + n);
    }
    String[] placements = new String[n];
    String[] experiments = new String[n];
    long[] visitors = new long[n];
    String[] variants = new String[n];
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      placements[i] = in.readUTF();
      experiments[i] = in.readUTF();
      visitors[i] = in.readLong();
      variants[i] = in.readUTF();
      times[i] = in.readLong();
    }
    return Assignments.of(placements, experiments, visitors, variants, times);
  }

  private static void writeWeights(DataOutputStream out, String[] keys, double[] weights)
      throws IOException {
    out.writeShort(keys.length);
    for (int i = 0; i < keys.length; i++) {
      out.writeUTF(keys[i]);
      out.writeDouble(weights[i]);
    }
  }

  private static void writeKeys(DataOutputStream out, String[] keys) throws IOException {
    out.writeShort(keys.length);
    for (String k : keys) {
      out.writeUTF(k);
    }
  }

  private static void writeOptional(DataOutputStream out, @Nullable String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }

  private static @Nullable String readOptional(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private static String[] readKeys(DataInputStream in) throws IOException {
    int n = entries(in.readUnsignedShort());
    if (n == 0) {
      return SessionData.NO_KEYS;
    }
    String[] keys = new String[n];
    for (int i = 0; i < n; i++) {
      keys[i] = in.readUTF();
    }
    return keys;
  }

  private static double[] readWeights(DataInputStream in, List<String> keys) throws IOException {
    int n = entries(in.readUnsignedShort());
    double[] weights = new double[n];
    for (int i = 0; i < n; i++) {
      keys.add(in.readUTF());
      weights[i] = finite(in.readDouble());
    }
    return weights;
  }

  private static void writeValue(DataOutputStream out, Object v) throws IOException {
    if (v instanceof String s) {
      out.writeByte('T');
      out.writeUTF(s);
    } else if (v instanceof Double d) {
      out.writeByte('N');
      out.writeDouble(d);
    } else if (v instanceof Boolean b) {
      out.writeByte('F');
      out.writeBoolean(b);
    } else if (v instanceof Set<?> set) {
      out.writeByte('S');
      out.writeShort(set.size());
      for (Object o : set) {
        out.writeUTF((String) o);
      }
    } else {
      throw new IllegalStateException("unexpected declared value type " + v.getClass().getName());
    }
  }

  private static Object readValue(DataInputStream in) throws IOException {
    int tag = in.readUnsignedByte();
    switch (tag) {
      case 'T':
        return in.readUTF();
      case 'N':
        return finite(in.readDouble());
      case 'F':
        return in.readBoolean();
      case 'S':
        int n = entries(in.readUnsignedShort());
        Set<String> set = new LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
          set.add(in.readUTF());
        }
        return Collections.unmodifiableSet(set);
      default:
        throw new IllegalArgumentException("session state has an unknown value tag " + tag);
    }
  }

  private static int entries(int n) {
    if (n > MAX_ENTRIES) {
      throw new IllegalArgumentException("session state has too many entries: " + n);
    }
    return n;
  }

  private static int nonNegative(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("session state has a negative count");
    }
    return n;
  }

  private static double finite(double d) {
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("session state has a number that is not finite");
    }
    return d;
  }
}
