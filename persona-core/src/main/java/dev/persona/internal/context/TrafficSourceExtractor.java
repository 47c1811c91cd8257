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
 * Referer's host; a Referer from the site itself is {@code internal}. An Android app's Referer
 * ({@code android-app://PACKAGE/}) counts as its site would: the Google app is organic search.
 *
 * <p>The known search engines, social networks, webmail hosts and sms and push sources are data:
 * the {@code hosts-*.txt} and {@code referrer-apps.tsv} resources read by {@link TrafficHosts}; so
 * are the utm values that name a channel ({@link UtmChannels}) and the ad click ids ({@code
 * traffic-click-ids.tsv}).
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

  /** The scheme of the Referer an Android app sends: {@code android-app://PACKAGE/...}. */
  private static final String ANDROID_APP = "android-app://";

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

  private static final String[] NO_PARAMETERS = new String[QueryParameters.COUNT];

  private final int maxHeaderLength;
  private final Set<String> siteHosts;
  private final RecentValues<Referrer> referrers =
      new RecentValues<>(TrafficSourceExtractor::referrer);
  private final RecentValues<String> hosts = new RecentValues<>(v -> UrlHosts.parse(v, false));

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
      String host = UrlHosts.parse(site, site.contains("://"));
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
    String campaign = campaign(parameters[QueryParameters.UTM_CAMPAIGN]);
    if (campaign != null) {
      sink.text(CAMPAIGN_KEY, campaign);
    }
  }

  /**
   * Returns the values of {@link QueryParameters}, names matched ignoring case, the first of each
   * kept, each truncated to maxHeaderLength.
   */
  private String[] parameters(Map<String, String> query) {
    if (query.isEmpty()) {
      return NO_PARAMETERS;
    }
    String[] values = new String[QueryParameters.COUNT];
    for (Map.Entry<String, String> e : query.entrySet()) {
      int i = QueryParameters.index(e);
      if (i >= 0 && values[i] == null) {
        values[i] = HeaderText.truncate(e.getValue(), maxHeaderLength);
      }
    }
    return values;
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
      int i = QueryParameters.index(e);
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
    String host = UrlHosts.parse(header, true);
    if (host == null) {
      return Referrer.NONE;
    }
    boolean app = header.trim().regionMatches(true, 0, ANDROID_APP, 0, ANDROID_APP.length());
    return new Referrer(host, app ? TrafficHosts.ofApp(host) : TrafficHosts.ofHost(host));
  }

  /** Returns the channel; {@code hostCategory} is the referrer host's category, if known. */
  private String channel(
      String[] parameters, String referrer, boolean internal, Category hostCategory) {
    Category referrerCategory = referrer == null || internal ? null : hostCategory;
    String fromUtm =
        UtmChannels.channel(
            parameters[QueryParameters.UTM_SOURCE],
            parameters[QueryParameters.UTM_MEDIUM],
            referrerCategory);
    String clickChannel = QueryParameters.paidClickChannel(parameters);
    if (clickChannel != null) {
      // An ad click id means paid traffic; the utm tags may still say which kind of paid.
      return isPaid(fromUtm) ? fromUtm : clickChannel;
    }
    if (fromUtm != null) {
      return fromUtm;
    }
    String otherClickChannel = QueryParameters.otherClickChannel(parameters);
    if (otherClickChannel != null) {
      return otherClickChannel;
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

  private boolean isSameSite(String referrer, Visit visit) {
    return siteHosts.contains(referrer)
        || referrer.equals(host(HeaderText.header(visit, "host", maxHeaderLength)))
        || referrer.equals(
            host(firstValue(HeaderText.header(visit, "x-forwarded-host", maxHeaderLength))));
  }

  private String host(String header) {
    return header == null ? null : hosts.get(header);
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
