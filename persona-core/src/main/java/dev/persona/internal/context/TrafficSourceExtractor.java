package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Classifies where the visit came from, by campaign parameters and then by the Referer. */
public final class TrafficSourceExtractor implements SignalExtractor {

  static final String SEARCH = "search";
  static final String SOCIAL = "social";
  static final String EMAIL = "email";
  static final String PAID = "paid";
  static final String REFERRAL = "referral";
  static final String DIRECT = "direct";

  private static final String SOURCE_KEY = "traffic_source";
  private static final String CAMPAIGN_KEY = "campaign";
  private static final int MAX_CAMPAIGN_LENGTH = 64;

  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              SOURCE_KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Traffic source: search, social, email, paid, referral or direct"),
          new SignalSpec(
              CAMPAIGN_KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Campaign name from utm_campaign, lower case"));

  private static final List<String> CLICK_IDS =
      List.of("gclid", "gbraid", "wbraid", "msclkid", "dclid", "ttclid");

  private static final Set<String> PAID_MEDIUMS =
      Set.of("cpc", "ppc", "cpm", "cpv", "cpa", "display", "banner");
  private static final Set<String> EMAIL_MEDIUMS = Set.of("email", "e-mail", "newsletter");
  private static final Set<String> SOCIAL_MEDIUMS =
      Set.of("social", "social-network", "social-media", "sm");

  private static final Set<String> SEARCH_SOURCES =
      Set.of(
          "google",
          "bing",
          "yahoo",
          "duckduckgo",
          "ddg",
          "yandex",
          "baidu",
          "ecosia",
          "naver",
          "seznam",
          "startpage",
          "brave",
          "qwant");
  private static final Set<String> SOCIAL_SOURCES =
      Set.of(
          "facebook",
          "fb",
          "instagram",
          "ig",
          "twitter",
          "x",
          "linkedin",
          "pinterest",
          "tiktok",
          "reddit",
          "youtube",
          "snapchat",
          "vk",
          "weibo",
          "threads",
          "whatsapp",
          "telegram",
          "mastodon",
          "bluesky",
          "tumblr");
  private static final Set<String> EMAIL_SOURCES =
      Set.of(
          "email",
          "e-mail",
          "newsletter",
          "mailchimp",
          "klaviyo",
          "sendgrid",
          "brevo",
          "sendinblue",
          "mailerlite",
          "mailjet",
          "campaignmonitor",
          "constantcontact",
          "gmail",
          "outlook");

  /**
   * Host patterns: a domain matches itself and its subdomains; {@code name.*} matches that label
   * under any one- or two-label public suffix, such as google.com, google.de or google.co.uk.
   */
  private static final List<String> EMAIL_HOSTS =
      List.of(
          "mail.google.com",
          "outlook.live.com",
          "outlook.office.com",
          "outlook.office365.com",
          "mail.yahoo.com");

  private static final List<String> SOCIAL_HOSTS =
      List.of(
          "facebook.com",
          "l.facebook.com",
          "m.facebook.com",
          "fb.me",
          "instagram.com",
          "l.instagram.com",
          "t.co",
          "twitter.com",
          "x.com",
          "linkedin.com",
          "lnkd.in",
          "pinterest.*",
          "pin.it",
          "tiktok.com",
          "reddit.com",
          "youtube.com",
          "youtu.be",
          "snapchat.com",
          "vk.com",
          "weibo.com",
          "threads.net");

  private static final List<String> SEARCH_HOSTS =
      List.of(
          "google.*",
          "bing.com",
          "duckduckgo.com",
          "search.yahoo.com",
          "yahoo.*",
          "yandex.*",
          "ya.ru",
          "baidu.com",
          "ecosia.org",
          "naver.com",
          "seznam.cz",
          "startpage.com",
          "search.brave.com",
          "qwant.com");

  private final int maxHeaderLength;

  /**
   * Creates the extractor.
   *
   * @param maxHeaderLength characters read of each header and query parameter, positive
   */
  public TrafficSourceExtractor(int maxHeaderLength) {
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
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
    sink.text(SOURCE_KEY, source(visit));
    String campaign = campaign(query(visit, "utm_campaign"));
    if (campaign != null) {
      sink.text(CAMPAIGN_KEY, campaign);
    }
  }

  private String source(Visit visit) {
    for (String clickId : CLICK_IDS) {
      String value = query(visit, clickId);
      if (value != null && !value.isBlank()) {
        return PAID;
      }
    }
    String fromMedium = fromMedium(query(visit, "utm_medium"));
    if (fromMedium != null) {
      return fromMedium;
    }
    String fromSource = fromSource(query(visit, "utm_source"));
    if (fromSource != null) {
      return fromSource;
    }
    String referrer = parseHost(HeaderText.header(visit, "referer", maxHeaderLength), true);
    if (referrer == null || isSameSite(referrer, visit)) {
      return DIRECT;
    }
    String known = classifyHost(referrer);
    return known == null ? REFERRAL : known;
  }

  private boolean isSameSite(String referrer, Visit visit) {
    return referrer.equals(parseHost(HeaderText.header(visit, "host", maxHeaderLength), false))
        || referrer.equals(
            parseHost(
                firstValue(HeaderText.header(visit, "x-forwarded-host", maxHeaderLength)), false));
  }

  private String query(Visit visit, String name) {
    return HeaderText.truncate(visit.query().get(name), maxHeaderLength);
  }

  private static String fromMedium(String value) {
    if (value == null) {
      return null;
    }
    String medium = normalize(value).replace('_', '-').replace(' ', '-');
    if (PAID_MEDIUMS.contains(medium) || medium.startsWith("paid")) {
      return PAID;
    }
    if (EMAIL_MEDIUMS.contains(medium)) {
      return EMAIL;
    }
    if (SOCIAL_MEDIUMS.contains(medium)) {
      return SOCIAL;
    }
    return medium.equals("organic") ? SEARCH : null;
  }

  private static String fromSource(String value) {
    if (value == null) {
      return null;
    }
    String source = normalize(value);
    if (source.indexOf('.') >= 0) {
      String host = parseHost(source, source.contains("://"));
      return host == null ? null : classifyHost(host);
    }
    if (SOCIAL_SOURCES.contains(source)) {
      return SOCIAL;
    }
    if (SEARCH_SOURCES.contains(source)) {
      return SEARCH;
    }
    return EMAIL_SOURCES.contains(source) ? EMAIL : null;
  }

  private static String classifyHost(String host) {
    if (matchesAny(host, EMAIL_HOSTS)) {
      return EMAIL;
    }
    if (matchesAny(host, SOCIAL_HOSTS)) {
      return SOCIAL;
    }
    return matchesAny(host, SEARCH_HOSTS) ? SEARCH : null;
  }

  private static boolean matchesAny(String host, List<String> patterns) {
    for (String pattern : patterns) {
      if (matches(host, pattern)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(String host, String pattern) {
    if (pattern.endsWith(".*")) {
      int label = pattern.length() - 1;
      for (int i = 0; i + label <= host.length(); i++) {
        if ((i == 0 || host.charAt(i - 1) == '.')
            && host.regionMatches(i, pattern, 0, label)
            && isPublicSuffixLike(host, i + label)) {
          return true;
        }
      }
      return false;
    }
    int prefix = host.length() - pattern.length();
    return host.endsWith(pattern) && (prefix == 0 || host.charAt(prefix - 1) == '.');
  }

  /** Returns whether {@code host} from {@code start} is one or two labels of 2 or 3 letters. */
  private static boolean isPublicSuffixLike(String host, int start) {
    int labels = 0;
    int labelStart = start;
    for (int i = start; i <= host.length(); i++) {
      if (i == host.length() || host.charAt(i) == '.') {
        int length = i - labelStart;
        if (length < 2 || length > 3 || ++labels > 2) {
          return false;
        }
        labelStart = i + 1;
      } else if (host.charAt(i) < 'a' || host.charAt(i) > 'z') {
        return false;
      }
    }
    return labels > 0;
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
    return isValidHost(host) ? stripWww(host) : null;
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
