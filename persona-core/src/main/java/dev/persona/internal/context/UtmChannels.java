package dev.persona.internal.context;

import static dev.persona.internal.context.TrafficSourceExtractor.AFFILIATE;
import static dev.persona.internal.context.TrafficSourceExtractor.DIRECT;
import static dev.persona.internal.context.TrafficSourceExtractor.DISPLAY;
import static dev.persona.internal.context.TrafficSourceExtractor.EMAIL;
import static dev.persona.internal.context.TrafficSourceExtractor.ORGANIC_SEARCH;
import static dev.persona.internal.context.TrafficSourceExtractor.ORGANIC_SOCIAL;
import static dev.persona.internal.context.TrafficSourceExtractor.PAID_SEARCH;
import static dev.persona.internal.context.TrafficSourceExtractor.PAID_SOCIAL;
import static dev.persona.internal.context.TrafficSourceExtractor.PUSH;
import static dev.persona.internal.context.TrafficSourceExtractor.REFERRAL;
import static dev.persona.internal.context.TrafficSourceExtractor.SMS;

import dev.persona.internal.context.TrafficHosts.Category;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Google Analytics 4's default channel rules for utm_source and utm_medium. The rules are code; the
 * medium and source values that name a channel are data, the {@code utm-channels.tsv} resource read
 * when the class is initialized, and the known sources are {@link TrafficHosts}' lists. Stateless
 * and thread-safe.
 */
final class UtmChannels {

  /** The channels a utm_medium value may name, in the order the rules look at them. */
  private static final List<String> MEDIUM_CHANNELS =
      List.of(DISPLAY, ORGANIC_SOCIAL, ORGANIC_SEARCH, REFERRAL, EMAIL, AFFILIATE, SMS);

  /** The channels a utm_source value may name. */
  private static final List<String> SOURCE_CHANNELS = List.of(EMAIL, SMS);

  private static final Map<String, Map<String, String>> NAMES = read("utm-channels.tsv");

  /** The channel each normalized utm_medium value names. */
  private static final Map<String, String> MEDIUMS = NAMES.get("utm_medium");

  /** The channel each normalized utm_source value names. */
  private static final Map<String, String> SOURCES = NAMES.get("utm_source");

  private UtmChannels() {}

  /**
   * Reads {@code PARAMETER VALUE CHANNEL} rows: the channel each utm_medium and utm_source value
   * names, by parameter.
   *
   * @throws IllegalStateException naming the resource and line of a rejected row
   */
  static Map<String, Map<String, String>> read(String resource) {
    Map<String, List<String>> allowed =
        Map.of("utm_medium", MEDIUM_CHANNELS, "utm_source", SOURCE_CHANNELS);
    Map<String, Map<String, String>> names =
        Map.of("utm_medium", new HashMap<>(), "utm_source", new HashMap<>());
    for (DataTable.Row row : DataTable.read(resource, 3)) {
      String parameter = row.get(0);
      String value = row.get(1);
      String channel = row.get(2);
      if (!allowed.containsKey(parameter)) {
        throw row.error("expected utm_medium or utm_source");
      }
      if (!value.equals(normalizeName(value))) {
        throw row.error("not lower case with - for spaces and underscores");
      }
      if (!allowed.get(parameter).contains(channel)) {
        throw row.error("the " + parameter + " rules apply " + allowed.get(parameter) + " only");
      }
      if (names.get(parameter).putIfAbsent(value, channel) != null) {
        throw row.error("listed twice");
      }
    }
    return Map.of(
        "utm_medium", Map.copyOf(names.get("utm_medium")),
        "utm_source", Map.copyOf(names.get("utm_source")));
  }

  /**
   * Applies GA4's default channel rules to utm_source and utm_medium, in GA4's order; returns null
   * when they say nothing (absent, or an unknown source without a known medium). The Referer's
   * category only places a paid medium from an unknown source.
   */
  static String channel(String utmSource, String utmMedium, Category referrerCategory) {
    String source = normalizeName(utmSource);
    String medium = normalizeName(utmMedium);
    if (medium != null && (medium.equals("(none)") || medium.equals("(not-set)"))) {
      medium = null;
    }
    if (source != null && source.equals("(direct)")) {
      return medium == null ? DIRECT : null;
    }
    if (source == null && medium == null) {
      return null;
    }
    Category category = sourceCategory(source);
    boolean paid = medium != null && isPaidMedium(medium);
    if (paid && category == Category.SEARCH) {
      return PAID_SEARCH;
    }
    if (paid && category == Category.SOCIAL) {
      return PAID_SOCIAL;
    }
    String byMedium = medium == null ? null : MEDIUMS.get(medium);
    String bySource = source == null ? null : SOURCES.get(source);
    if (DISPLAY.equals(byMedium)) {
      return DISPLAY;
    }
    if (paid) {
      // GA4's "Paid Other": an ad from an unknown source. Place it by the medium's words, then by
      // the Referer; otherwise it is an ad on some other site.
      if (medium.contains("social") || referrerCategory == Category.SOCIAL) {
        return PAID_SOCIAL;
      }
      return medium.contains("search") || referrerCategory == Category.SEARCH
          ? PAID_SEARCH
          : DISPLAY;
    }
    if (category == Category.SOCIAL || ORGANIC_SOCIAL.equals(byMedium)) {
      return ORGANIC_SOCIAL;
    }
    if (category == Category.SEARCH || ORGANIC_SEARCH.equals(byMedium)) {
      return ORGANIC_SEARCH;
    }
    if (REFERRAL.equals(byMedium)) {
      return REFERRAL;
    }
    if (category == Category.EMAIL || EMAIL.equals(bySource) || EMAIL.equals(byMedium)) {
      return EMAIL;
    }
    if (AFFILIATE.equals(byMedium)) {
      return AFFILIATE;
    }
    if (category == Category.SMS || SMS.equals(bySource) || SMS.equals(byMedium)) {
      return SMS;
    }
    if (category == Category.PUSH
        || (medium != null
            && (medium.endsWith("push")
                || medium.contains("mobile")
                || medium.contains("notification")))) {
      return PUSH;
    }
    return null;
  }

  /** GA4's paid medium: contains "cp", is "ppc" or "retargeting", or starts with "paid". */
  private static boolean isPaidMedium(String medium) {
    return medium.contains("cp")
        || medium.equals("ppc")
        || medium.equals("retargeting")
        || medium.startsWith("paid");
  }

  private static Category sourceCategory(String source) {
    if (source == null) {
      return null;
    }
    if (source.indexOf('.') >= 0) {
      return TrafficHosts.ofHost(UrlHosts.parse(source, source.contains("://")));
    }
    return TrafficHosts.ofName(source);
  }

  /**
   * Returns a utm value trimmed, in lower case, with spaces and underscores as hyphens ("e mail",
   * "e_mail" and "e-mail" are one); null when absent or blank.
   */
  static String normalizeName(String value) {
    if (value == null) {
      return null;
    }
    String s = value.strip();
    if (s.isEmpty()) {
      return null;
    }
    return s.toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
  }
}
