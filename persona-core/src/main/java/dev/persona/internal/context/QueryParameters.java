package dev.persona.internal.context;

import static dev.persona.internal.context.TrafficSourceExtractor.AFFILIATE;
import static dev.persona.internal.context.TrafficSourceExtractor.DISPLAY;
import static dev.persona.internal.context.TrafficSourceExtractor.EMAIL;
import static dev.persona.internal.context.TrafficSourceExtractor.ORGANIC_SEARCH;
import static dev.persona.internal.context.TrafficSourceExtractor.ORGANIC_SOCIAL;
import static dev.persona.internal.context.TrafficSourceExtractor.PAID_SEARCH;
import static dev.persona.internal.context.TrafficSourceExtractor.PAID_SOCIAL;
import static dev.persona.internal.context.TrafficSourceExtractor.PUSH;
import static dev.persona.internal.context.TrafficSourceExtractor.REFERRAL;
import static dev.persona.internal.context.TrafficSourceExtractor.SMS;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters that traffic_source reads: utm_source, utm_medium and utm_campaign, then the
 * ad click ids, which are data (the {@code traffic-click-ids.tsv} resource, read when the class is
 * initialized). Stateless and thread-safe.
 */
final class QueryParameters {

  /** The channels a click id may mean. */
  private static final Set<String> CLICK_ID_CHANNELS =
      Set.of(
          ORGANIC_SEARCH,
          PAID_SEARCH,
          ORGANIC_SOCIAL,
          PAID_SOCIAL,
          EMAIL,
          AFFILIATE,
          DISPLAY,
          REFERRAL,
          SMS,
          PUSH);

  /** The channels of a paid click, which wins over the utm tags. */
  private static final Set<String> PAID_CHANNELS = Set.of(PAID_SEARCH, PAID_SOCIAL, DISPLAY);

  static final int UTM_SOURCE = 0;
  static final int UTM_MEDIUM = 1;
  static final int UTM_CAMPAIGN = 2;

  private static final Parameters READ = read("traffic-click-ids.tsv");

  /** The query parameters read, by lower-case name; matched ignoring case. */
  private static final String[] PARAMETERS = READ.names();

  /** The channel each click id means, aligned with {@link #PARAMETERS}. */
  private static final String[] CHANNELS = READ.channels();

  /** Where the paid click ids are in {@link #PARAMETERS}, in order of precedence. */
  private static final int[] PAID_CLICK_IDS = READ.paidClickIds();

  /** Where the other click ids are in {@link #PARAMETERS}, in order of precedence. */
  private static final int[] OTHER_CLICK_IDS = READ.otherClickIds();

  /** How many parameters are read: at most 32, so that a bit mask holds them. */
  static final int COUNT = PARAMETERS.length;

  private static final int MIN_NAME_LENGTH = READ.minLength();
  private static final int MAX_NAME_LENGTH = READ.maxLength();

  private QueryParameters() {}

  /** Returns the index in {@link #PARAMETERS} of a query parameter with a value, or -1. */
  static int index(Map.Entry<String, String> e) {
    String name = e.getKey();
    if (name == null
        || name.length() < MIN_NAME_LENGTH
        || name.length() > MAX_NAME_LENGTH
        || e.getValue() == null) {
      return -1;
    }
    for (int i = 0; i < PARAMETERS.length; i++) {
      if (PARAMETERS[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /** Returns the channel of the first paid click id with a value, or null. */
  static String paidClickChannel(String[] values) {
    return firstChannel(values, PAID_CLICK_IDS);
  }

  /** Returns the channel of the first other click id with a value, or null. */
  static String otherClickChannel(String[] values) {
    return firstChannel(values, OTHER_CLICK_IDS);
  }

  private static String firstChannel(String[] values, int[] clickIds) {
    for (int i : clickIds) {
      if (values[i] != null && !values[i].isBlank()) {
        return CHANNELS[i];
      }
    }
    return null;
  }

  /**
   * The query parameters read and what the click ids mean.
   *
   * @param names the utm tags, then the click ids, lower case
   * @param channels the channel each click id means, aligned with {@code names}
   * @param paidClickIds where the paid click ids are in {@code names}, in order of precedence
   * @param otherClickIds where the other click ids are in {@code names}, in order of precedence
   * @param minLength the shortest name's length
   * @param maxLength the longest name's length
   */
  // Never compared or hashed: a carrier from the resource reader to the class's own constants.
  @SuppressWarnings("ArrayRecordComponent")
  record Parameters(
      String[] names,
      String[] channels,
      int[] paidClickIds,
      int[] otherClickIds,
      int minLength,
      int maxLength) {}

  /**
   * Reads the click ids: {@code PARAMETER CHANNEL} rows.
   *
   * @throws IllegalStateException naming the resource and line of a rejected row
   */
  static Parameters read(String resource) {
    List<String> names = new ArrayList<>(List.of("utm_source", "utm_medium", "utm_campaign"));
    List<String> channels = new ArrayList<>(Arrays.asList(null, null, null));
    List<Integer> paid = new ArrayList<>();
    List<Integer> other = new ArrayList<>();
    for (DataTable.Row row : DataTable.read(resource, 2)) {
      String name = row.get(0);
      if (!name.matches("[a-z0-9_]{5,12}") || names.contains(name)) {
        throw row.error("not a new lower-case parameter name of 5 to 12 characters");
      }
      if (!CLICK_ID_CHANNELS.contains(row.get(1))) {
        throw row.error("unknown channel, expected one of " + new TreeSet<>(CLICK_ID_CHANNELS));
      }
      if (names.size() == Integer.SIZE) {
        throw row.error("more than " + Integer.SIZE + " parameters");
      }
      (PAID_CHANNELS.contains(row.get(1)) ? paid : other).add(names.size());
      names.add(name);
      channels.add(row.get(1));
    }
    return new Parameters(
        names.toArray(new String[0]),
        channels.toArray(new String[0]),
        paid.stream().mapToInt(Integer::intValue).toArray(),
        other.stream().mapToInt(Integer::intValue).toArray(),
        names.stream().mapToInt(String::length).min().orElseThrow(),
        names.stream().mapToInt(String::length).max().orElseThrow());
  }
}
