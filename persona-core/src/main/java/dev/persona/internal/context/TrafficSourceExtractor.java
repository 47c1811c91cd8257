package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.internal.context.TrafficHosts.Category;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Classifies where the visit came from, following Google Analytics 4's default channel grouping:
 * campaign parameters (utm_source, utm_medium and the ad click ids) decide first, then the
 * Referer's host; a Referer from the site itself is {@code internal}.
 *
 * <p>The known search engines, social networks, webmail hosts and sms and push sources are data:
 * the {@code hosts-*.txt} resources read by {@link TrafficHosts}.
 */
public final class TrafficSourceExtractor implements BuiltInExtractor {

  static final String DIRECT = "direct";
  static final String ORGANIC_SEARCH = "organic_search";
  static final String PAID_SEARCH = "paid_search";
  static final String ORGANIC_SOCIAL = "organic_social";
  static final String PAID_SOCIAL = "paid_social";
  static final String EMAIL = "email";
  static final String AFFILIATE = "affiliate";
  static final String DISPLAY = "display";
  static final String REFERRAL = "referral";
  static final String SMS = "sms";
  static final String PUSH = "push";
  static final String INTERNAL = "internal";

  private static final String SOURCE_KEY = "traffic_source";
  private static final String REFERRER_HOST_KEY = "referrer_host";
  private static final String CAMPAIGN_KEY = "campaign";
  private static final int MAX_CAMPAIGN_LENGTH = 64;
  private static final int MAX_HOST_LENGTH = 253;

  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              SOURCE_KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "GA4 default channel, such as organic_search, paid_social or internal"),
          new SignalSpec(
              REFERRER_HOST_KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Host of an external Referer, lower case, without www."),
          new SignalSpec(
              CAMPAIGN_KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Campaign name from utm_campaign, lower case"));

  /** The query parameters read, by lower-case name; matched ignoring case. */
  private static final String[] PARAMETERS = {
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "fbclid",
    "gclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "dclid",
    "ttclid",
    "twclid",
    "li_fat_id",
    "sccid"
  };

  private static final int UTM_SOURCE = 0;
  private static final int UTM_MEDIUM = 1;
  private static final int UTM_CAMPAIGN = 2;
  private static final int FBCLID = 3;
  private static final int FIRST_PAID_CLICK_ID = 4;

  /** The channel each paid click id means, aligned with {@link #PARAMETERS}. */
  private static final String[] CLICK_ID_CHANNELS = {
    null,
    null,
    null,
    null,
    PAID_SEARCH,
    PAID_SEARCH,
    PAID_SEARCH,
    PAID_SEARCH,
    DISPLAY,
    PAID_SOCIAL,
    PAID_SOCIAL,
    PAID_SOCIAL,
    PAID_SOCIAL
  };

  private static final Set<String> DISPLAY_MEDIUMS =
      Set.of("display", "banner", "expandable", "interstitial", "cpm");
  private static final Set<String> SOCIAL_MEDIUMS =
      Set.of("social", "social-network", "social-media", "sm");
  private static final Set<String> REFERRAL_MEDIUMS = Set.of("referral", "app", "link");
  private static final Set<String> EMAIL_NAMES = Set.of("email", "e-mail", "newsletter");

  private static final String[] NO_PARAMETERS = new String[PARAMETERS.length];

  private final int maxHeaderLength;
  private final Set<String> siteHosts;
  private final RecentValues<Referrer> referrers =
      new RecentValues<>(TrafficSourceExtractor::referrer);
  private final RecentValues<String> hosts = new RecentValues<>(v -> parseHost(v, false));

  /**
   * Creates the extractor without configured site hosts: only a Referer from the request's own
   * {@code Host} (or {@code X-Forwarded-Host}) is {@code internal}.
   *
   * @param maxHeaderLength characters read of each header and query parameter, positive
   */
  public TrafficSourceExtractor(int maxHeaderLength) {
    this(maxHeaderLength, Set.of());
  }

  /**
   * Creates the extractor.
   *
   * @param maxHeaderLength characters read of each header and query parameter, positive
   * @param siteHosts the site's own hosts, such as {@code shop.example.com} (a leading www., a port
   *     or a scheme is ignored); a Referer from one of them is {@code internal}
   * @throws IllegalArgumentException if {@code maxHeaderLength} is not positive or a site host is
   *     not a host name
   * @throws NullPointerException if {@code siteHosts} or one of its elements is null
   */
  public TrafficSourceExtractor(int maxHeaderLength, Set<String> siteHosts) {
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
    this.siteHosts = siteHosts(siteHosts);
  }

  /**
   * Returns the site's own hosts normalized as referrers are: lower case, without scheme, port or a
   * leading {@code www.}.
   *
   * @throws IllegalArgumentException if one is not a host name
   */
  public static Set<String> siteHosts(Collection<String> siteHosts) {
    Objects.requireNonNull(siteHosts, "siteHosts");
    Set<String> hosts = new HashSet<>();
    for (String site : siteHosts) {
      Objects.requireNonNull(site, "site host");
      String host = parseHost(site, site.contains("://"));
      if (host == null) {
        throw new IllegalArgumentException("not a site host: " + site);
      }
      hosts.add(host);
    }
    return Set.copyOf(hosts);
  }

  @Override
  public String name() {
    return "traffic_source";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    if (visit == null) {
      return;
    }
    String[] parameters = parameters(visit.query());
    String header = HeaderText.header(visit, "referer", maxHeaderLength);
    Referrer parsed = header == null ? Referrer.NONE : referrers.get(header);
    String referrer = parsed.host;
    boolean internal = referrer != null && isSameSite(referrer, visit);
    sink.text(SOURCE_KEY, channel(parameters, referrer, internal, parsed.category));
    if (referrer != null && !internal) {
      sink.text(REFERRER_HOST_KEY, referrer);
    }
    String campaign = campaign(parameters[UTM_CAMPAIGN]);
    if (campaign != null) {
      sink.text(CAMPAIGN_KEY, campaign);
    }
  }

  /**
   * Returns the values of {@link #PARAMETERS}, names matched ignoring case, the first of each kept,
   * each truncated to maxHeaderLength.
   */
  private String[] parameters(Map<String, String> query) {
    if (query.isEmpty()) {
      return NO_PARAMETERS;
    }
    String[] values = new String[PARAMETERS.length];
    for (Map.Entry<String, String> e : query.entrySet()) {
      int i = parameter(e);
      if (i >= 0 && values[i] == null) {
        values[i] = HeaderText.truncate(e.getValue(), maxHeaderLength);
      }
    }
    return values;
  }

  /** Returns the index in {@link #PARAMETERS} of a query parameter with a value, or -1. */
  private static int parameter(Map.Entry<String, String> e) {
    String name = e.getKey();
    if (name == null || name.length() < 5 || name.length() > 12 || e.getValue() == null) {
      return -1;
    }
    for (int i = 0; i < PARAMETERS.length; i++) {
      if (PARAMETERS[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns how many of the query parameters {@link #extract} reads are longer than {@code max}
   * characters, and so read only that far: the same parameters, chosen the same way, as it reads.
   *
   * @param query a visit's query parameters
   * @param max the engine's {@code maxHeaderLength}
   * @return the number of parameters read truncated
   */
  public static int truncatedParameters(Map<String, String> query, int max) {
    boolean anyLong = false;
    for (String v : query.values()) {
      anyLong |= v != null && v.length() > max;
    }
    if (!anyLong) {
      return 0;
    }
    int seen = 0;
    int truncated = 0;
    for (Map.Entry<String, String> e : query.entrySet()) {
      int i = parameter(e);
      if (i >= 0 && (seen & (1 << i)) == 0) {
        seen |= 1 << i;
        if (e.getValue().length() > max) {
          truncated++;
        }
      }
    }
    return truncated;
  }

  /** A Referer header's normalized host and the host's category, both null when there is none. */
  private record Referrer(String host, Category category) {
    static final Referrer NONE = new Referrer(null, null);
  }

  private static Referrer referrer(String header) {
    String host = parseHost(header, true);
    return host == null ? Referrer.NONE : new Referrer(host, TrafficHosts.ofHost(host));
  }

  /** Returns the channel; {@code hostCategory} is the referrer host's category, if known. */
  private String channel(
      String[] parameters, String referrer, boolean internal, Category hostCategory) {
    Category referrerCategory = referrer == null || internal ? null : hostCategory;
    String fromUtm = fromUtm(parameters[UTM_SOURCE], parameters[UTM_MEDIUM], referrerCategory);
    String clickChannel = null;
    for (int i = FIRST_PAID_CLICK_ID; i < PARAMETERS.length && clickChannel == null; i++) {
      if (!isBlank(parameters[i])) {
        clickChannel = CLICK_ID_CHANNELS[i];
      }
    }
    if (clickChannel != null) {
      // An ad click id means paid traffic; the utm tags may still say which kind of paid.
      return isPaid(fromUtm) ? fromUtm : clickChannel;
    }
    if (fromUtm != null) {
      return fromUtm;
    }
    if (!isBlank(parameters[FBCLID])) {
      return ORGANIC_SOCIAL;
    }
    if (referrer == null) {
      return DIRECT;
    }
    if (internal) {
      return INTERNAL;
    }
    if (referrerCategory == null) {
      return REFERRAL;
    }
    return switch (referrerCategory) {
      case EMAIL -> EMAIL;
      case SOCIAL -> ORGANIC_SOCIAL;
      case SEARCH -> ORGANIC_SEARCH;
      case SMS -> SMS;
      case PUSH -> PUSH;
    };
  }

  private static boolean isPaid(String channel) {
    return PAID_SEARCH.equals(channel) || PAID_SOCIAL.equals(channel) || DISPLAY.equals(channel);
  }

  /**
   * Applies GA4's default channel rules to utm_source and utm_medium, in GA4's order; returns null
   * when they say nothing (absent, or an unknown source without a known medium). The Referer's
   * category only places a paid medium from an unknown source.
   */
  static String fromUtm(String utmSource, String utmMedium, Category referrerCategory) {
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
    if (medium != null && DISPLAY_MEDIUMS.contains(medium)) {
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
    if (category == Category.SOCIAL || (medium != null && SOCIAL_MEDIUMS.contains(medium))) {
      return ORGANIC_SOCIAL;
    }
    if (category == Category.SEARCH || "organic".equals(medium)) {
      return ORGANIC_SEARCH;
    }
    if (medium != null && REFERRAL_MEDIUMS.contains(medium)) {
      return REFERRAL;
    }
    if (category == Category.EMAIL
        || (source != null && EMAIL_NAMES.contains(source))
        || (medium != null && EMAIL_NAMES.contains(medium))) {
      return EMAIL;
    }
    if ("affiliate".equals(medium) || "affiliates".equals(medium)) {
      return AFFILIATE;
    }
    if (category == Category.SMS || "sms".equals(source) || "sms".equals(medium)) {
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
      return TrafficHosts.ofHost(parseHost(source, source.contains("://")));
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

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  private boolean isSameSite(String referrer, Visit visit) {
    return siteHosts.contains(referrer)
        || referrer.equals(host(HeaderText.header(visit, "host", maxHeaderLength)))
        || referrer.equals(
            host(firstValue(HeaderText.header(visit, "x-forwarded-host", maxHeaderLength))));
  }

  private String host(String header) {
    return header == null ? null : hosts.get(header);
  }

  /**
   * Returns the normalized host of a URL ({@code withScheme}) or of a Host header value: lower
   * case, without port, user info, trailing dot and leading {@code www.}; null when malformed.
   */
  static String parseHost(String value, boolean withScheme) {
    if (value == null) {
      return null;
    }
    String s = value.trim();
    int start = 0;
    if (withScheme) {
      int schemeEnd = s.indexOf("://");
      if (schemeEnd <= 0 || !isScheme(s, schemeEnd)) {
        return null;
      }
      start = schemeEnd + 3;
    }
    int end = start;
    while (end < s.length() && "/?#\\".indexOf(s.charAt(end)) < 0) {
      end++;
    }
    return parseAuthority(s.substring(start, end));
  }

  private static String parseAuthority(String authority) {
    String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String port;
    if (hostAndPort.startsWith("[")) {
      int close = hostAndPort.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = hostAndPort.substring(0, close + 1);
      port = hostAndPort.substring(close + 1);
      if (!port.isEmpty() && port.charAt(0) != ':') {
        return null;
      }
      port = port.isEmpty() ? port : port.substring(1);
    } else {
      int colon = hostAndPort.indexOf(':');
      host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
      port = colon < 0 ? "" : hostAndPort.substring(colon + 1);
    }
    for (int i = 0; i < port.length(); i++) {
      if (!HeaderText.isAsciiDigit(port.charAt(i))) {
        return null;
      }
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.endsWith(".")) {
      host = host.substring(0, host.length() - 1);
    }
    return host.length() <= MAX_HOST_LENGTH && isValidHost(host) ? stripWww(host) : null;
  }

  private static boolean isScheme(String s, int end) {
    if (!HeaderText.isAsciiLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (!HeaderText.isAsciiLetter(c) && !HeaderText.isAsciiDigit(c) && "+-.".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isValidHost(String host) {
    if (host.isEmpty()) {
      return false;
    }
    if (host.charAt(0) == '[') {
      for (int i = 1; i < host.length() - 1; i++) {
        char c = host.charAt(i);
        if (!HeaderText.isAsciiDigit(c) && (c < 'a' || c > 'f') && c != ':' && c != '.') {
          return false;
        }
      }
      return host.length() > 2;
    }
    char previous = '.';
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c == '.' && previous == '.') {
        return false;
      }
      if (c != '.' && c != '-' && c != '_' && (c < 'a' || c > 'z') && !HeaderText.isAsciiDigit(c)) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  private static String stripWww(String host) {
    return host.startsWith("www.") && host.length() > 4 ? host.substring(4) : host;
  }

  private static String firstValue(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    return comma < 0 ? header : header.substring(0, comma);
  }

  private static String normalize(String value) {
    return value.trim().toLowerCase(Locale.ROOT);
  }

  /** Returns the campaign name: lower case, without control characters, at most 64 chars. */
  static String campaign(String value) {
    if (value == null) {
      return null;
    }
    StringBuilder name = new StringBuilder(Math.min(value.length(), MAX_CAMPAIGN_LENGTH));
    String lower = normalize(value);
    for (int i = 0; i < lower.length() && name.length() < MAX_CAMPAIGN_LENGTH; i++) {
      char c = lower.charAt(i);
      if (!Character.isISOControl(c)) {
        name.append(c);
      }
    }
    int end = name.length();
    if (end > 0 && Character.isHighSurrogate(name.charAt(end - 1))) {
      end--;
    }
    String result = name.substring(0, end).trim();
    return result.isEmpty() ? null : result;
  }
}
