package dev.persona.internal.context;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
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

/** Classifies the requesting device as mobile, tablet, desktop or bot from User-Agent and hints. */
public final class DeviceExtractor implements SignalExtractor {

  static final String MOBILE = "mobile";
  static final String TABLET = "tablet";
  static final String DESKTOP = "desktop";
  static final String BOT = "bot";

  private static final String KEY = "device";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Device class: mobile, tablet, desktop or bot"));

  /** Substrings that mark an automated client wherever they occur. */
  private static final String[] BOT_TOKENS = {
    "crawl",
    "spider",
    "slurp",
    "scrap",
    "archiver",
    "archive.org",
    "heritrix",
    "nutch",
    "facebookexternalhit",
    "facebookplatform",
    "mediapartners-google",
    "apis-google",
    "google-",
    "preview",
    "fetch",
    "checker",
    "linkcheck",
    "check_http",
    "healthcheck",
    "health-check",
    "validator",
    "monitor",
    "uptime",
    "pingdom",
    "statuscake",
    "lighthouse",
    "pagespeed",
    "gtmetrix",
    "headless",
    "phantomjs",
    "phantomas",
    "selenium",
    "webdriver",
    "puppeteer",
    "playwright",
    "curl/",
    "wget",
    "python",
    "aiohttp",
    "httpx",
    "libwww",
    "lwp-",
    "perl/",
    "php/",
    "http.rb",
    "okhttp",
    "go-http-client",
    "java/",
    "jakarta",
    "httpclient",
    "http-client",
    "http_get",
    "httpunit",
    "htmlunit",
    "mechanize",
    "axios/",
    "undici",
    "postman",
    "insomnia/",
    "guzzle",
    "colly",
    "gobuster",
    "k6/",
    "jetty/",
    "ahc/",
    "proxy/",
    "imageproxy",
    "imgproxy",
    "mailproxy",
    "+http",
    "http://",
    "https://",
    "www.",
    "(at)",
    "[at]",
    "like gecko;",
    "; compatible",
    "synthetic",
    "measurement",
    "research",
    "transcod",
    "inspect",
    "subscriber",
    "scan",
    "probe",
    "survey",
    "audit",
    "analyzer",
    "grabber",
    "harvest",
    "indexer",
    "downloader",
    "yahoo:",
    "y!j",
  };

  /** Substrings that show a user agent names a real platform, as browsers and apps do. */
  private static final String[] PLATFORM_TOKENS = {
    "windows",
    "win32",
    "win64",
    "win9",
    "macintosh",
    "macbook",
    "mac os",
    "macos",
    "osx",
    "win10",
    "fban/",
    "mac_powerpc",
    "darwin",
    "linux",
    "android",
    "adr ",
    "iphone",
    "ipad",
    "ipod",
    "ios",
    "cros",
    "x11",
    "bsd",
    "cygwin",
    "sunos",
    "amigaos",
    "haiku",
    "openharmony",
    "harmonyos",
    "symbian",
    "series",
    "midp",
    "cldc",
    "j2me",
    "blackberry",
    "bb10",
    "nokia",
    "samsung",
    "webos",
    "palm",
    "tizen",
    "kaios",
    "bada",
    "brew",
    "wap",
    "up.browser",
    "obigo",
    "netfront",
    "opera",
    "kindle",
    "playstation",
    "nintendo",
    "xbox",
    "mobile",
    "tablet",
    "phone",
  };

  /** Substrings that mark a tablet. */
  private static final String[] TABLET_TOKENS = {
    "ipad", "tablet", "kindle", "silk/", "silk-accelerated", "playbook", "touchpad", "nook",
  };

  /** Substrings that mark a phone, checked after tablets. */
  private static final String[] MOBILE_TOKENS = {
    "mobi",
    "iphone",
    "ipod",
    "phone",
    "opera mini",
    "blackberry",
    "bb10",
    "midp",
    "cldc",
    "j2me",
    "symbian",
    "series40",
    "series60",
    "series 60",
    "s60;",
    "nokia",
    "samsung-",
    "sonyericsson",
    "palm",
    "webos",
    "windows ce",
    "kaios",
    "bada",
    "brew",
    "wap",
    "up.browser",
    "obigo",
    "netfront",
    "fennec",
    "maemo",
    "meego",
    "sailfish",
    "lumia",
    "fb4a",
  };

  private static final String[] DESKTOP_PLATFORMS = {
    "windows", "macos", "mac os x", "linux", "chrome os", "chromeos", "chromium os", "fuchsia",
  };

  private final int maxHeaderLength;
  private final Cache<String, String> cache;

  /**
   * Creates the extractor.
   *
   * @param maxHeaderLength characters read of each header, positive
   * @param cacheSize the most User-Agent classifications kept, zero or more
   */
  public DeviceExtractor(int maxHeaderLength, long cacheSize) {
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must not be negative: " + cacheSize);
    }
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  @Override
  public String name() {
    return "device";
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
    String userAgent = HeaderText.header(visit, "user-agent", maxHeaderLength);
    String fromUserAgent =
        userAgent == null || userAgent.isBlank()
            ? null
            : cache.get(userAgent, DeviceExtractor::classifyUserAgent);
    Boolean mobileHint =
        parseMobileHint(HeaderText.header(visit, "sec-ch-ua-mobile", maxHeaderLength));
    String platformHint =
        parsePlatformHint(HeaderText.header(visit, "sec-ch-ua-platform", maxHeaderLength));
    String device =
        mobileHint == null && platformHint == null
            ? fromUserAgent
            : combine(
                fromUserAgent,
                mobileHint,
                platformHint,
                HeaderText.header(visit, "sec-ch-ua", maxHeaderLength));
    if (device != null) {
      sink.text(KEY, device);
    }
  }

  /** Lets client hints decide between phone, tablet and desktop; a bot stays a bot. */
  private static String combine(
      String fromUserAgent, Boolean mobileHint, String platform, String brands) {
    if (BOT.equals(fromUserAgent) || contains(brands, "headless")) {
      return BOT;
    }
    boolean android = "android".equals(platform);
    boolean ios = "ios".equals(platform) || "ipados".equals(platform);
    if (mobileHint != null) {
      if (mobileHint) {
        return MOBILE;
      }
      return TABLET.equals(fromUserAgent) || android ? TABLET : DESKTOP;
    }
    if (android || ios) {
      return TABLET.equals(fromUserAgent) ? TABLET : MOBILE;
    }
    for (String desktop : DESKTOP_PLATFORMS) {
      if (desktop.equals(platform)) {
        return DESKTOP;
      }
    }
    return fromUserAgent;
  }

  private static boolean contains(String value, String lowerCaseToken) {
    return value != null && value.toLowerCase(Locale.ROOT).contains(lowerCaseToken);
  }

  private static Boolean parseMobileHint(String value) {
    if (HeaderText.trimmedEquals(value, "?1")) {
      return Boolean.TRUE;
    }
    if (HeaderText.trimmedEquals(value, "?0")) {
      return Boolean.FALSE;
    }
    return null;
  }

  private static String parsePlatformHint(String value) {
    if (value == null) {
      return null;
    }
    String platform = value.trim();
    if (platform.length() >= 2 && platform.startsWith("\"") && platform.endsWith("\"")) {
      platform = platform.substring(1, platform.length() - 1).trim();
    }
    return platform.isEmpty() ? null : platform.toLowerCase(Locale.ROOT);
  }

  /**
   * Classifies a non-blank User-Agent on its own.
   *
   * @param userAgent the header value, already truncated
   * @return one of {@code mobile}, {@code tablet}, {@code desktop}, {@code bot}
   */
  static String classifyUserAgent(String userAgent) {
    String ua = userAgent.toLowerCase(Locale.ROOT);
    if (isBot(ua)) {
      return BOT;
    }
    if (isTablet(ua)) {
      return TABLET;
    }
    if (containsAny(ua, MOBILE_TOKENS) || (ua.contains("android") && !ua.contains("chromebook"))) {
      return MOBILE;
    }
    return DESKTOP;
  }

  private static boolean isBot(String ua) {
    if (containsAny(ua, BOT_TOKENS)
        || hasBotWord(ua)
        || hasEmailAddress(ua)
        || !containsAny(ua, PLATFORM_TOKENS)) {
      return true;
    }
    int compatible = ua.indexOf("(compatible;");
    if (compatible < 0) {
      return false;
    }
    int end = ua.indexOf(')', compatible);
    String comment = ua.substring(compatible, end < 0 ? ua.length() : end);
    return !containsAny(comment, PLATFORM_TOKENS)
        && !comment.contains("msie")
        && !comment.contains("konqueror");
  }

  /**
   * Finds "bot" in a user agent. Inside the device-model comment of an Android user agent, where
   * phone makers use it in brand and model names, only "bot/" and "bot-" count.
   */
  private static boolean hasBotWord(String ua) {
    int modelStart = -1;
    int modelEnd = -1;
    int open = ua.indexOf('(');
    if (open >= 0) {
      int close = ua.indexOf(')', open);
      modelEnd = close < 0 ? ua.length() : close;
      int android = ua.indexOf("android", open);
      if (android >= 0 && android < modelEnd) {
        modelStart = open;
      }
    }
    for (int i = ua.indexOf("bot"); i >= 0; i = ua.indexOf("bot", i + 3)) {
      if (modelStart < 0 || i < modelStart || i >= modelEnd) {
        return true;
      }
      int next = i + 3;
      if (next < ua.length() && (ua.charAt(next) == '/' || ua.charAt(next) == '-')) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasEmailAddress(String ua) {
    for (int i = ua.indexOf('@'); i >= 0; i = ua.indexOf('@', i + 1)) {
      if (i > 0 && i + 1 < ua.length() && isLetterOrDigit(ua.charAt(i - 1))) {
        char next = ua.charAt(i + 1);
        if (next >= 'a' && next <= 'z') {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || HeaderText.isAsciiDigit(c);
  }

  private static boolean isTablet(String ua) {
    for (String token : TABLET_TOKENS) {
      for (int i = ua.indexOf(token); i >= 0; i = ua.indexOf(token, i + 1)) {
        if (!token.equals("tablet") || !ua.startsWith(" pc", i + token.length())) {
          return true;
        }
      }
    }
    int android = ua.indexOf("android");
    if (android < 0 || ua.contains("chromebook")) {
      return false;
    }
    int modelEnd = ua.indexOf(')', android);
    String model = ua.substring(android, modelEnd < 0 ? ua.length() : modelEnd);
    if (model.contains("tab") || model.contains("pad")) {
      return true;
    }
    return ua.startsWith("mozilla/") && !ua.contains("mobi") && !ua.contains("phone");
  }

  private static boolean containsAny(String value, String[] tokens) {
    for (String token : tokens) {
      if (value.contains(token)) {
        return true;
      }
    }
    return false;
  }
}
