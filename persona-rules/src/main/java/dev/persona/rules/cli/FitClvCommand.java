package dev.persona.rules.cli;

import dev.persona.prediction.BgNbd;
import dev.persona.prediction.GammaGamma;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code persona fit-clv ORDERS}: fits the BG/NBD and Gamma-Gamma models to an order history and
 * prints their parameters and the rule file's {@code "models"} that gives them to the engine.
 */
final class FitClvCommand {
  static final String USAGE =
      """
      usage: persona fit-clv [--period day|week] [--calibration-end DATE] ORDERS

      Fits the models behind the predicted signals (docs/prediction.md) to an order history by
      maximum likelihood: BG/NBD (p_alive, expected_orders) to every customer, Gamma-Gamma
      (expected_order_value) to those with repeat orders. Prints the parameters and the rule
      file's "models" that gives them to the engine.

      ORDERS is a CSV file with a header naming the columns customer_id, date and amount (other
      columns are ignored), one order a line, or a file in the CDNOW sample's layout (customer id,
      sample id, date, quantity, amount, separated by white space); - reads standard input. A date
      is yyyy-MM-dd or yyyyMMdd; orders of a customer on one day count as one.

        --period day|week       the models' time unit (default day)
        --calibration-end DATE  fit to the orders up to this day, inclusive (default: the latest
                                order's day); later orders are left out
      """;

  private FitClvCommand() {}

  static int run(List<String> argv, InputStream stdin, PrintStream out)
      throws UserError, IOException {
    Args args = Args.parse(argv, Set.of("--period", "--calibration-end"));
    String file = args.single("ORDERS");
    String period = args.option("--period", "day");
    int periodDays =
        switch (period) {
          case "day" -> 1;
          case "week" -> 7;
          default -> throw UserError.usage("--period must be day or week, not '" + period + "'");
        };
    LocalDate end = null;
    String endText = args.option("--calibration-end");
    if (endText != null) {
      try {
        end = OrderHistory.date(endText, "");
      } catch (UserError e) {
        throw UserError.usage("--calibration-end: " + e.getMessage());
      }
    }
    OrderHistory history = read(file, stdin);
    if (end == null) {
      end = history.latest;
    }
    List<ClvFit.Summary> customers = history.summaries(end, periodDays);
    if (customers.isEmpty()) {
      throw UserError.invalid(file + ": no customer ordered by the calibration end, " + end);
    }
    long repeat = customers.stream().filter(c -> c.x() > 0).count();
    out.println(
        "orders: "
            + history.orders
            + " of "
            + history.customers.size()
            + " customers; calibration to "
            + end
            + ", in "
            + period
            + "s: "
            + customers.size()
            + " customers, "
            + repeat
            + " with repeat orders");
    if (repeat == 0) {
      throw UserError.invalid(
          file + ": no customer ordered twice by " + end + ": nothing to fit the models to");
    }
    ClvFit.BgNbdFit bg = ClvFit.bgNbd(customers);
    BgNbd m = bg.model();
    out.println(
        "BG/NBD ("
            + bg.customers()
            + " customers): r = "
            + fixed(m.r())
            + ", alpha = "
            + fixed(m.alpha())
            + ", a = "
            + fixed(m.a())
            + ", b = "
            + fixed(m.b())
            + "; log-likelihood "
            + String.format(Locale.ROOT, "%.2f", bg.logLikelihood()));
    GammaGamma gg = null;
    try {
      ClvFit.GammaGammaFit fit = ClvFit.gammaGamma(customers);
      gg = fit.model();
      out.println(
          "Gamma-Gamma ("
              + fit.customers()
              + " repeat customers): p = "
              + fixed(gg.p())
              + ", q = "
              + fixed(gg.q())
              + ", gamma = "
              + fixed(gg.gamma())
              + "; log-likelihood "
              + String.format(Locale.ROOT, "%.2f", fit.logLikelihood()));
      out.println(
          "  correlation of repeat orders and their mean value: "
              + String.format(Locale.ROOT, "%.3f", correlation(customers))
              + " (the model assumes none)");
    } catch (IllegalArgumentException e) {
      out.println("Gamma-Gamma: not fitted: " + e.getMessage());
    }
    out.println();
    out.println("Rule file (docs/rules.md):");
    out.print(snippet(period, m, gg));
    return 0;
  }

  /** Returns the rule file's {@code "models"} member for these models. */
  static String snippet(String period, BgNbd bg, GammaGamma gg) {
    StringBuilder s = new StringBuilder();
    s.append("\"models\": {\n");
    s.append("  \"period\": \"").append(period).append("\",\n");
    s.append("  \"bg_nbd\": {\"r\": ")
        .append(json(bg.r()))
        .append(", \"alpha\": ")
        .append(json(bg.alpha()))
        .append(", \"a\": ")
        .append(json(bg.a()))
        .append(", \"b\": ")
        .append(json(bg.b()))
        .append("}");
    if (gg != null) {
      s.append(",\n  \"gamma_gamma\": {\"p\": ")
          .append(json(gg.p()))
          .append(", \"q\": ")
          .append(json(gg.q()))
          .append(", \"gamma\": ")
          .append(json(gg.gamma()))
          .append("}");
    }
    s.append("\n}\n");
    return s.toString();
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  private static String json(double v) {
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(7))
        .stripTrailingZeros()
        .toPlainString();
  }

  /** Returns the Pearson correlation of x and the mean value over the repeat customers. */
  private static double correlation(List<ClvFit.Summary> customers) {
    double n = 0;
    double sx = 0;
    double sm = 0;
    double sxx = 0;
    double smm = 0;
    double sxm = 0;
    for (ClvFit.Summary c : customers) {
      if (c.x() > 0 && c.meanValue() > 0) {
        n++;
        sx += c.x();
        sm += c.meanValue();
        sxx += (double) c.x() * c.x();
        smm += c.meanValue() * c.meanValue();
        sxm += c.x() * c.meanValue();
      }
    }
    double cov = sxm / n - sx / n * sm / n;
    return cov / Math.sqrt((sxx / n - sx / n * sx / n) * (smm / n - sm / n * sm / n));
  }

  private static OrderHistory read(String file, InputStream stdin) throws UserError, IOException {
    Reader reader;
    String name = file;
    if (file.equals("-")) {
      reader = new InputStreamReader(stdin, StandardCharsets.UTF_8);
      name = "stdin";
    } else {
      try {
        reader = new InputStreamReader(Files.newInputStream(Path.of(file)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw UserError.invalid(file + ": cannot read: " + Rules.reason(e));
      } catch (InvalidPathException e) {
        throw UserError.invalid(file + ": cannot read: not a valid path (" + e.getReason() + ")");
      }
    }
    try (LineReader lines = new LineReader(reader, OrderHistory.MAX_LINE)) {
      return OrderHistory.read(lines, name);
    }
  }
}
