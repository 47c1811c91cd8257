package dev.persona.rules.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * An order history read from a file: each customer's order days and what they spent on each. Two
 * layouts are read, told apart by the first line that is not blank or a {@code #} comment:
 *
 * <ul>
 *   <li>CSV with a header naming the columns {@code customer_id}, {@code date} and {@code amount}
 *       in any order (other columns are ignored; a field may be quoted with {@code "}), one order a
 *       line;
 *   <li>the CDNOW sample's layout: five fields separated by white space, customer id, sample id,
 *       date, quantity, amount.
 * </ul>
 *
 * <p>A date is {@code yyyy-MM-dd} (anything after it, such as a time, is ignored) or {@code
 * yyyyMMdd}; an amount is a number of at least 0, with a {@code .} for decimals. Orders of one
 * customer on one day count as one order of their total, as the models count days with orders. Not
 * thread-safe.
 */
final class OrderHistory {
  /** The longest line read. */
  static final int MAX_LINE = 64 * 1024;

  /** Each customer's order days, with each day's total. */
  final Map<String, TreeMap<LocalDate, Double>> customers = new LinkedHashMap<>();

  int orders;
  LocalDate latest;

  private OrderHistory() {}

  /**
   * Reads a history.
   *
   * @param name the file's name, for messages
   * @throws UserError invalid, naming the file and line of the first problem
   */
  static OrderHistory read(LineReader in, String name) throws IOException, UserError {
    OrderHistory h = new OrderHistory();
    String line;
    int[] columns = null;
    boolean cdnow = false;
    while ((line = in.next()) != null) {
      String at = name + ":" + in.number() + ": ";
      if (in.tooLong()) {
        throw UserError.invalid(at + "a line longer than " + MAX_LINE + " characters");
      }
      String text = line.strip();
      if (text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (columns == null && !cdnow) {
        if (text.contains(",")) {
          columns = header(split(text), at);
          continue;
        }
        cdnow = true;
      }
      String customer;
      String date;
      String amount;
      if (cdnow) {
        String[] f = fields(text);
        if (f.length != 5) {
          throw UserError.invalid(
              at
                  + "expected 5 fields separated by white space (customer id, sample id, date,"
                  + " quantity, amount), found "
                  + f.length
                  + "; or a CSV header naming customer_id, date and amount");
        }
        customer = f[0];
        date = f[2];
        amount = f[4];
      } else {
        List<String> f = split(text);
        int need = Math.max(columns[0], Math.max(columns[1], columns[2]));
        if (f.size() <= need) {
          throw UserError.invalid(
              at + "expected at least " + (need + 1) + " fields, found " + f.size());
        }
        customer = f.get(columns[0]).strip();
        date = f.get(columns[1]).strip();
        amount = f.get(columns[2]).strip();
      }
      if (customer.isEmpty()) {
        throw UserError.invalid(at + "the customer id is empty");
      }
      h.add(customer, date(date, at), amount(amount, at));
    }
    if (h.orders == 0) {
      throw UserError.invalid(name + ": no orders");
    }
    return h;
  }

  private void add(String customer, LocalDate day, double amount) {
    customers.computeIfAbsent(customer, k -> new TreeMap<>()).merge(day, amount, Double::sum);
    orders++;
    if (latest == null || day.isAfter(latest)) {
      latest = day;
    }
  }

  /**
   * Returns each customer's calibration summary at {@code end} (orders after it are left out, and
   * customers whose first order is after it), in periods of {@code periodDays}.
   */
  List<ClvFit.Summary> summaries(LocalDate end, int periodDays) {
    List<ClvFit.Summary> out = new ArrayList<>();
    for (TreeMap<LocalDate, Double> days : customers.values()) {
      Map<LocalDate, Double> kept = days.headMap(end, true);
      if (kept.isEmpty()) {
        continue;
      }
      LocalDate first = null;
      LocalDate last = null;
      double repeatValue = 0;
      for (Map.Entry<LocalDate, Double> d : kept.entrySet()) {
        if (first == null) {
          first = d.getKey();
        } else {
          repeatValue += d.getValue();
        }
        last = d.getKey();
      }
      int x = kept.size() - 1;
      out.add(
          new ClvFit.Summary(
              x,
              (double) (last.toEpochDay() - first.toEpochDay()) / periodDays,
              (double) (end.toEpochDay() - first.toEpochDay()) / periodDays,
              x == 0 ? 0 : repeatValue / x));
    }
    return out;
  }

  /** Returns the positions of customer_id, date and amount in a header. */
  private static int[] header(List<String> names, String at) throws UserError {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.putIfAbsent(names.get(i).strip().toLowerCase(Locale.ROOT), i);
    }
    int[] out = new int[3];
    String[] wanted = {"customer_id", "date", "amount"};
    for (int k = 0; k < 3; k++) {
      Integer i = index.get(wanted[k]);
      if (i == null) {
        throw UserError.invalid(
            at
                + "the CSV header has no column '"
                + wanted[k]
                + "'; it needs customer_id, date and amount");
      }
      out[k] = i;
    }
    return out;
  }

  /** Returns the fields of a line separated by white space. */
  private static String[] fields(String line) {
    java.util.StringTokenizer t = new java.util.StringTokenizer(line);
    String[] out = new String[t.countTokens()];
    for (int i = 0; i < out.length; i++) {
      out[i] = t.nextToken();
    }
    return out;
  }

  /** Splits a CSV line at commas outside quotes; a quote inside quotes is written twice. */
  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  /** Parses yyyy-MM-dd (and whatever follows it) or yyyyMMdd. */
  static LocalDate date(String text, String at) throws UserError {
    try {
      if (text.length() == 8 && text.chars().allMatch(Character::isDigit)) {
        return LocalDate.of(
            Integer.parseInt(text.substring(0, 4)),
            Integer.parseInt(text.substring(4, 6)),
            Integer.parseInt(text.substring(6, 8)));
      }
      if (text.length() >= 10
          && text.charAt(4) == '-'
          && text.charAt(7) == '-'
          && (text.length() == 10 || !Character.isDigit(text.charAt(10)))) {
        return LocalDate.parse(text.substring(0, 10));
      }
    } catch (DateTimeException | NumberFormatException e) {
      throw UserError.invalid(at + "not a date: '" + shorten(text) + "' (" + e.getMessage() + ")");
    }
    throw UserError.invalid(
        at + "not a date: '" + shorten(text) + "'; expected yyyy-MM-dd or yyyyMMdd");
  }

  /** Returns the text, cut to 40 characters. */
  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  private static double amount(String text, String at) throws UserError {
    try {
      BigDecimal v = new BigDecimal(text);
      if (v.signum() >= 0 && v.compareTo(BigDecimal.valueOf(1e12)) <= 0) {
        return v.doubleValue();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw UserError.invalid(
        at + "not an amount: '" + shorten(text) + "'; expected a number from 0 to 10^12");
  }
}
