package dev.persona.redis.internal;

import dev.persona.DiscountedCounts;
import dev.persona.Outcome;
import dev.persona.VariantChoice;
import dev.persona.VariantStats;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The field names of the statistics hash. A combination of placement, variant and segment is
 * written as each id's length, a colon and the id ({@code 9:home.hero10:flash-sale5:gifts}),
 * followed, for counts of a known {@linkplain VariantStats#basis() basis}, by the basis's name in
 * lower case and the experiment's id, or the empty id for none, written the same way ({@code
 * ...5:gifts10:experiment8:banner-1}, {@code ...5:gifts9:optimized0:}); a combination of three ids,
 * as written before bases were kept, reads as of an unknown basis. Instances of the version before
 * cannot read a combination of five ids: they skip it as a field they do not know. Its counts are
 * the fields {@code <combination>|e} (exposures), {@code |c} (clicks), {@code |a} (adds to cart),
 * {@code |p} (purchases) and {@code |v} (purchase value), {@code |d} the discounted counts of an
 * optimized placement with a half-life ({@link DiscountedCounts}: its point, half-life, exposures,
 * clicks, adds to cart and purchases, separated by spaces), and {@code <combination>|} marks that
 * it exists. The field {@code #} counts the combinations. Lengths make every id unambiguous,
 * whatever characters it holds; the segment of shoppers without a primary persona is written as the
 * empty id. Stateless.
 */
public final class StatsFields {
  private StatsFields() {}

  /**
   * Returns the combination of an increment.
   *
   * @param s the increment
   * @return its combination
   */
  public static String combination(VariantStats s) {
    StringBuilder b = new StringBuilder(80);
    String segment = s.segment();
    for (String id : new String[] {s.placement(), s.variant(), segment == null ? "" : segment}) {
      b.append(id.length()).append(':').append(id);
    }
    VariantChoice.Basis basis = s.basis();
    if (basis != null) {
      String experiment = s.experiment();
      for (String id :
          new String[] {
            basis.name().toLowerCase(Locale.ROOT), experiment == null ? "" : experiment
          }) {
        b.append(id.length()).append(':').append(id);
      }
    }
    return b.toString();
  }

  /**
   * Returns the value of a {@code |d} field that adds the given discounted counts, or the empty
   * string for none.
   *
   * @param d the discounted counts of an increment, or null
   * @return the field's value
   */
  public static String discounted(@Nullable DiscountedCounts d) {
    if (d == null) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        "%d %d %s %s %s %s",
        d.at(),
        d.halfLife(),
        Double.toString(d.exposures()),
        Double.toString(d.count(Outcome.Kind.CLICK)),
        Double.toString(d.count(Outcome.Kind.ADD_TO_CART)),
        Double.toString(d.count(Outcome.Kind.PURCHASE)));
  }

  /**
   * Adds one field of the hash to the totals being read; ignores fields it does not know.
   *
   * @param field the field name
   * @param value the field's value
   * @param totals the totals by combination, added to
   * @return false if the field was neither a known count nor a marker
   */
  public static boolean read(String field, String value, Map<String, VariantStats> totals) {
    int bar = field.lastIndexOf('|');
    if (bar < 0 || field.length() - bar > 2) {
      return field.equals("#");
    }
    String combination = field.substring(0, bar);
    VariantStats zero = parse(combination);
    if (zero == null) {
      return false;
    }
    VariantStats add;
    try {
      add = count(zero, bar == field.length() - 1 ? ' ' : field.charAt(bar + 1), value);
    } catch (NumberFormatException e) {
      return false;
    }
    if (add == null) {
      return false;
    }
    totals.merge(combination, add, VariantStats::plus);
    return true;
  }

  /**
   * Returns an empty map for {@link #read}.
   *
   * @return a new map
   */
  public static Map<String, VariantStats> newTotals() {
    return new HashMap<>();
  }

  private static VariantStats count(VariantStats z, char metric, String value) {
    VariantStats.Builder b =
        VariantStats.builder(z.placement(), z.variant(), z.segment())
            .basis(z.basis())
            .experiment(z.experiment());
    switch (metric) {
      case ' ':
        return z;
      case 'e':
        return b.exposures(Long.parseLong(value)).build();
      case 'c':
        return b.clicks(Long.parseLong(value)).build();
      case 'a':
        return b.addsToCart(Long.parseLong(value)).build();
      case 'p':
        return b.purchases(Long.parseLong(value)).build();
      case 'v':
        double d = Double.parseDouble(value);
        return Double.isFinite(d) ? b.value(d).build() : null;
      case 'd':
        DiscountedCounts counts = parseDiscounted(value);
        return counts == null ? null : b.discounted(counts).build();
      default:
        return null;
    }
  }

  /** Parses the value of a {@code |d} field, or returns null if it is not one. */
  private static @Nullable DiscountedCounts parseDiscounted(String value) {
    String[] p = value.split(" ", -1);
    if (p.length != 6) {
      return null;
    }
    try {
      return DiscountedCounts.of(
          Long.parseLong(p[0]),
          Integer.parseInt(p[1]),
          Double.parseDouble(p[2]),
          Double.parseDouble(p[3]),
          Double.parseDouble(p[4]),
          Double.parseDouble(p[5]));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Parses a combination into zero counts, or null if it is not one: three ids, or five with a
   * basis this version knows.
   */
  static VariantStats parse(String combination) {
    String[] ids = new String[5];
    int at = 0;
    for (int i = 0; i < 5; i++) {
      if (i == 3 && at == combination.length()) {
        return VariantStats.builder(ids[0], ids[1], ids[2].isEmpty() ? null : ids[2]).build();
      }
      int colon = combination.indexOf(':', at);
      if (colon <= at || colon - at > 9) {
        return null;
      }
      int length;
      try {
        length = Integer.parseInt(combination, at, colon, 10);
      } catch (NumberFormatException e) {
        return null;
      }
      if (length < 0 || colon + 1 + length > combination.length()) {
        return null;
      }
      ids[i] = combination.substring(colon + 1, colon + 1 + length);
      at = colon + 1 + length;
    }
    if (at != combination.length()) {
      return null;
    }
    VariantChoice.Basis basis;
    try {
      basis = VariantChoice.Basis.valueOf(ids[3].toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null; // a basis of a later version
    }
    return VariantStats.builder(ids[0], ids[1], ids[2].isEmpty() ? null : ids[2])
        .basis(basis)
        .experiment(ids[4].isEmpty() ? null : ids[4])
        .build();
  }
}
