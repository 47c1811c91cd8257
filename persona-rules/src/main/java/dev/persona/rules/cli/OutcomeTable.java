package dev.persona.rules.cli;

import dev.persona.PersonaEngine;
import dev.persona.VariantStats;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The replay summary's outcome statistics: per placement and variant, all segments together. */
final class OutcomeTable {
  private OutcomeTable() {}

  static void print(PersonaEngine engine, PrintStream err) {
    Map<String, Map<String, VariantStats>> byPlacement = new TreeMap<>();
    for (VariantStats s : engine.variantStats()) {
      VariantStats all =
          VariantStats.builder(s.placement(), s.variant(), null)
              .exposures(s.exposures())
              .clicks(s.clicks())
              .addsToCart(s.addsToCart())
              .purchases(s.purchases())
              .value(s.value())
              .build();
      byPlacement
          .computeIfAbsent(s.placement(), k -> new TreeMap<>())
          .merge(s.variant(), all, VariantStats::plus);
    }
    if (byPlacement.isEmpty()) {
      return;
    }
    int w = 8;
    for (Map<String, VariantStats> v : byPlacement.values()) {
      w = Math.max(w, Text.width(v.keySet()));
    }
    err.println("  outcomes");
    err.println(
        "    "
            + "  "
            + Text.pad("variant", w)
            + "  "
            + Text.left("exposures", 10)
            + Text.left("clicks", 8)
            + Text.left("ctr", 7)
            + Text.left("carts", 7)
            + Text.left("purchases", 10)
            + Text.left("conv", 7)
            + Text.left("value", 11));
    for (Map.Entry<String, Map<String, VariantStats>> p : byPlacement.entrySet()) {
      err.println("    " + p.getKey());
      for (VariantStats s : p.getValue().values()) {
        err.println(
            "    "
                + "  "
                + Text.pad(s.variant(), w)
                + "  "
                + Text.left(Text.count(s.exposures()), 10)
                + Text.left(Text.count(s.clicks()), 8)
                + Text.left(rate(s.clicks(), s.exposures()), 7)
                + Text.left(Text.count(s.addsToCart()), 7)
                + Text.left(Text.count(s.purchases()), 10)
                + Text.left(rate(s.purchases(), s.exposures()), 7)
                + Text.left(String.format(Locale.ROOT, "%.2f", s.value()), 11));
      }
    }
  }

  private static String rate(long n, long of) {
    return of == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * n / of);
  }
}
