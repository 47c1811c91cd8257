package dev.persona.redis.load;

import dev.persona.Outcome;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Tells which attributed adds to cart and purchases the engines did not credit, or credited more
 * than once, per session: the credits the client expects ({@link LoadRun.ExpectedCredit}) against
 * those the instances' listeners were told of ({@link OutcomeTrace}), with what the report needs to
 * find out why (which instance served the visit and recorded the exposure, when, and the visit's
 * flags). Only with {@code -Dpersona.load.traceOutcomes=true}. Used by the test thread only.
 */
final class CreditCheck {
  private CreditCheck() {}

  /** Returns the report's lines, or an empty string when there is no trace. */
  static String report(LoadRun.Tally t, List<Path> traces) throws IOException {
    List<List<OutcomeTrace.Line>> byInstance = new ArrayList<>();
    boolean any = false;
    for (Path p : traces) {
      List<OutcomeTrace.Line> lines = OutcomeTrace.read(p);
      any |= !lines.isEmpty();
      byInstance.add(lines);
    }
    if (!any) {
      return "";
    }
    // credits as the statistics count them: once per event, placement and kind
    Map<String, Integer> told = new TreeMap<>();
    Map<String, List<String>> toldLines = new HashMap<>();
    Map<String, List<String>> exposures = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < byInstance.size(); i++) {
      for (OutcomeTrace.Line l : byInstance.get(i)) {
        if (l.kind() == Outcome.Kind.EXPOSURE) {
          exposures
              .computeIfAbsent(l.session() + "|" + l.placement(), k -> new ArrayList<>())
              .add(
                  String.format(
                      Locale.ROOT,
                      "exposure %s on %d at %+d ms",
                      l.variant(),
                      i,
                      l.atMillis() - t.startMillis));
          continue;
        }
        if (l.id().isEmpty()) {
          continue; // recorded by the client, not credited
        }
        String key =
            key(
                l.session(),
                l.placement(),
                l.variant(),
                l.segment(),
                l.kind() == Outcome.Kind.PURCHASE,
                l.value());
        toldLines
            .computeIfAbsent(l.session(), k -> new ArrayList<>())
            .add(
                String.format(
                    Locale.ROOT,
                    "credit %s %s %s on %d, event at %+d ms, told at %+d ms",
                    l.kind(),
                    l.placement(),
                    l.variant(),
                    i,
                    l.atMillis() - t.startMillis,
                    l.toldMillis() - t.startMillis));
        if (seen.add(l.id() + "|" + l.placement() + "|" + l.kind())) {
          told.merge(key, 1, Integer::sum);
        }
      }
    }
    Map<String, Shopper> shoppers = new HashMap<>();
    t.shoppers.forEach(s -> shoppers.put(s.sessionId, s));
    Map<String, List<LoadRun.ExpectedCredit>> expected = new TreeMap<>();
    for (LoadRun.ExpectedCredit c : t.credits) {
      expected
          .computeIfAbsent(
              key(
                  c.session,
                  c.placement,
                  c.exposure.variant(),
                  c.exposure.segment() == null ? "" : c.exposure.segment(),
                  c.purchase,
                  c.value),
              k -> new ArrayList<>())
          .add(c);
    }
    StringBuilder out = new StringBuilder();
    int missing = 0;
    int missingErased = 0;
    int extra = 0;
    int shown = 0;
    Set<String> keys = new java.util.TreeSet<>(expected.keySet());
    keys.addAll(told.keySet());
    for (String k : keys) {
      List<LoadRun.ExpectedCredit> e = expected.getOrDefault(k, List.of());
      int n = told.getOrDefault(k, 0);
      if (n == e.size()) {
        continue;
      }
      int certain = (int) e.stream().filter(c -> c.certain(shoppers.get(c.session))).count();
      missing += Math.max(0, certain - n);
      missingErased += Math.max(0, Math.min(e.size() - certain, e.size() - n));
      extra += Math.max(0, n - e.size());
      if (shown++ >= 10) {
        continue;
      }
      out.append(String.format(Locale.ROOT, "    %s: expected %d, credited %d%n", k, e.size(), n));
      for (LoadRun.ExpectedCredit c : e) {
        out.append(
            String.format(
                Locale.ROOT,
                "      visit %d of epoch %d on %d at %+d ms [%s]; exposure on %d at %+d ms (%+d ms before),"
                    + " tracked %s; %s%n",
                c.visit,
                c.epoch,
                c.visitInstance,
                c.visitMillis - t.startMillis,
                c.visitFlags,
                c.exposure.instance(),
                c.exposure.sentMillis() - t.startMillis,
                c.visitMillis - c.exposure.sentMillis(),
                c.exposure.tracked(),
                c.certain(shoppers.get(c.session)) ? "must be made" : "may be erased"));
      }
      String session = k.substring(0, k.indexOf('|'));
      String placement = k.split("\\|", -1)[1];
      out.append("      told exposures: ")
          .append(exposures.getOrDefault(session + "|" + placement, List.of()))
          .append('\n');
      out.append("      told credits of the session: ")
          .append(toldLines.getOrDefault(session, List.of()))
          .append('\n');
      Shopper s =
          t.shoppers.stream().filter(x -> x.sessionId.equals(session)).findFirst().orElse(null);
      out.append("      shopper: ").append(s);
      if (s != null && s.erasedAtMillis != 0) {
        out.append(
            String.format(
                Locale.ROOT,
                ", erased on %d at %+d ms (action %d, %s)",
                s.erasedOn,
                s.erasedAtMillis - t.startMillis,
                s.erasureAt,
                s.erasureFailed ? "reported failed" : "reported done"));
      }
      out.append('\n');
    }
    return String.format(
            Locale.ROOT,
            "  credits traced: %d expected (%d of them before an erasure of their session, %d of"
                + " those perhaps erased before they were made), %d missing, %d not made that the"
                + " erasure may have dropped, %d extra (by session)%n",
            t.credits.size(),
            t.credits.stream().filter(c -> erasedLater(t, c)).count(),
            t.credits.stream().filter(c -> !c.certain(shoppers.get(c.session))).count(),
            missing,
            missingErased,
            extra)
        + out;
  }

  /** Returns whether the credit's session was erased after its visit. */
  static boolean erasedLater(LoadRun.Tally t, LoadRun.ExpectedCredit c) {
    return t.shoppers.stream().anyMatch(s -> s.sessionId.equals(c.session) && s.epoch > c.epoch);
  }

  private static String key(
      String session,
      String placement,
      String variant,
      String segment,
      boolean purchase,
      double value) {
    return String.join(
        "|",
        session,
        placement,
        variant,
        segment,
        purchase ? "PURCHASE" : "ADD_TO_CART",
        Double.toString(value));
  }
}
