package dev.persona.internal.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classifies a User-Agent string: device class, operating system and browser families, in-app
 * browser host. Rules only: token scans with {@link UserAgentTokens} and a few model-name
 * heuristics ({@link AndroidModels}), no regular expressions, so the cost is linear in the length
 * of the string. The tokens are data: the {@code user-agent-tokens.tsv}, {@code
 * user-agent-apps.tsv} and {@code user-agent-bots.tsv} (bots by kind, AI agents among them)
 * resources, read when the class is initialized.
 */
final class UserAgentClassifier {

  static final String MOBILE = "mobile";
  static final String TABLET = "tablet";
  static final String DESKTOP = "desktop";
  static final String BOT = "bot";

  static final String AI_AGENT = "ai_agent";
  static final String PREVIEW = "preview";
  static final String MONITOR = "monitor";
  static final String CRAWLER = "crawler";
  static final String HTTP_CLIENT = "http_client";

  // Feature bits set by token scans.
  private static final long F_BOT = 1L;
  private static final long F_PLATFORM = 1L << 1;
  private static final long F_TABLET = 1L << 2;
  private static final long F_MOBILE = 1L << 3;
  private static final long F_TABLET_WORD = 1L << 4;
  private static final long F_TABLET_PC = 1L << 5;
  private static final long F_MOBI = 1L << 6;
  private static final long F_PHONE = 1L << 7;
  private static final long F_ANDROID = 1L << 8;
  private static final long F_IOS = 1L << 9;
  private static final long F_WINDOWS_PHONE = 1L << 10;
  private static final long F_OTHER_OS = 1L << 11;
  private static final long F_CHROME_OS = 1L << 12;
  private static final long F_WINDOWS = 1L << 13;
  private static final long F_MAC = 1L << 14;
  private static final long F_LINUX = 1L << 15;
  private static final long F_EDGE = 1L << 16;
  private static final long F_OPERA = 1L << 17;
  private static final long F_SAMSUNG = 1L << 18;
  private static final long F_OTHER_BROWSER = 1L << 19;
  private static final long F_FIREFOX = 1L << 20;
  private static final long F_CHROME = 1L << 21;
  private static final long F_SAFARI = 1L << 22;
  private static final long F_VERSION = 1L << 23;
  private static final long F_WEBVIEW = 1L << 24;
  private static final long F_GECKO = 1L << 25;
  // Bot kinds, in order of precedence; set with F_BOT by the tokens of user-agent-bots.tsv.
  private static final long F_AI_AGENT = 1L << 26;
  private static final long F_PREVIEW = 1L << 27;
  private static final long F_MONITOR = 1L << 28;
  private static final long F_CRAWLER = 1L << 29;
  private static final long F_HTTP_CLIENT = 1L << 30;
  private static final long F_TV = 1L << 31;
  private static final long F_HANDHELD = 1L << 32;
  private static final long F_APP_SHIFT = 40;

  /** The feature each name in the tokens resource sets. */
  private static final Map<String, Long> FEATURES =
      Map.ofEntries(
          Map.entry("bot", F_BOT),
          Map.entry("platform", F_PLATFORM),
          Map.entry("tablet", F_TABLET),
          Map.entry("mobile", F_MOBILE),
          Map.entry("tablet_word", F_TABLET_WORD),
          Map.entry("tablet_pc", F_TABLET_PC),
          Map.entry("mobi", F_MOBI),
          Map.entry("phone", F_PHONE),
          Map.entry("android", F_ANDROID),
          Map.entry("ios", F_IOS),
          Map.entry("windows_phone", F_WINDOWS_PHONE),
          Map.entry("other_os", F_OTHER_OS),
          Map.entry("chrome_os", F_CHROME_OS),
          Map.entry("windows", F_WINDOWS),
          Map.entry("mac", F_MAC),
          Map.entry("linux", F_LINUX),
          Map.entry("edge", F_EDGE),
          Map.entry("opera", F_OPERA),
          Map.entry("samsung", F_SAMSUNG),
          Map.entry("other_browser", F_OTHER_BROWSER),
          Map.entry("firefox", F_FIREFOX),
          Map.entry("chrome", F_CHROME),
          Map.entry("safari", F_SAFARI),
          Map.entry("version", F_VERSION),
          Map.entry("webview", F_WEBVIEW),
          Map.entry("gecko", F_GECKO),
          Map.entry("tv", F_TV),
          Map.entry("handheld", F_HANDHELD));

  /** The bot kind each name in the bots resource sets; botKind() orders them. */
  private static final Map<String, Long> KINDS =
      Map.of(
          AI_AGENT, F_AI_AGENT,
          PREVIEW, F_PREVIEW,
          MONITOR, F_MONITOR,
          CRAWLER, F_CRAWLER,
          HTTP_CLIENT, F_HTTP_CLIENT);

  private static final Tables TABLES =
      load("user-agent-tokens.tsv", "user-agent-apps.tsv", "user-agent-bots.tsv");

  /** All tokens, features and apps alike. */
  private static final UserAgentTokens TOKENS = TABLES.tokens();

  /** The platform tokens alone, looked for in a {@code (compatible; ...)} comment. */
  private static final UserAgentTokens PLATFORMS = TABLES.platforms();

  /** In-app browser hosts, in order of precedence; bit {@code F_APP_SHIFT + index}. */
  private static final String[] APPS = TABLES.apps();

  private UserAgentClassifier() {}

  /** The token matchers and app names read from the resources. */
  // Never compared or hashed: a carrier from the resource reader to the class's own constants.
  @SuppressWarnings("ArrayRecordComponent")
  record Tables(UserAgentTokens tokens, UserAgentTokens platforms, String[] apps) {}

  /**
   * Reads the token tables: {@code FEATURE TOKEN} rows, then {@code APP TOKEN} rows, then {@code
   * KIND TOKEN} rows of bots.
   *
   * @throws IllegalStateException naming the resource and line of a rejected row, or the feature or
   *     bot kind without a token
   */
  static Tables load(String tokensResource, String appsResource, String botsResource) {
    UserAgentTokens.Builder tokens = new UserAgentTokens.Builder();
    UserAgentTokens.Builder platforms = new UserAgentTokens.Builder();
    long found = 0;
    for (DataTable.Row row : DataTable.read(tokensResource, 2)) {
      Long feature = FEATURES.get(row.get(0));
      if (feature == null) {
        throw row.error("unknown feature, expected one of " + new TreeSet<>(FEATURES.keySet()));
      }
      add(tokens, feature, row);
      if (feature == F_PLATFORM) {
        add(platforms, feature, row);
      }
      found |= feature;
    }
    for (Map.Entry<String, Long> feature : FEATURES.entrySet()) {
      if ((found & feature.getValue()) == 0) {
        throw new IllegalStateException(tokensResource + ": no token for " + feature.getKey());
      }
    }
    List<String> apps = new ArrayList<>();
    for (DataTable.Row row : DataTable.read(appsResource, 2)) {
      int app = apps.indexOf(row.get(0));
      if (app < 0) {
        app = apps.size();
        if (F_APP_SHIFT + app >= Long.SIZE) {
          throw row.error("more than " + (Long.SIZE - F_APP_SHIFT) + " apps");
        }
        apps.add(row.get(0));
      }
      add(tokens, 1L << (F_APP_SHIFT + app), row);
    }
    long kinds = 0;
    for (DataTable.Row row : DataTable.read(botsResource, 2)) {
      Long kind = KINDS.get(row.get(0));
      if (kind == null) {
        throw row.error("unknown bot kind, expected one of " + new TreeSet<>(KINDS.keySet()));
      }
      add(tokens, F_BOT | kind, row);
      kinds |= kind;
    }
    for (Map.Entry<String, Long> kind : KINDS.entrySet()) {
      if ((kinds & kind.getValue()) == 0) {
        throw new IllegalStateException(botsResource + ": no token for " + kind.getKey());
      }
    }
    return new Tables(tokens.build(), platforms.build(), apps.toArray(new String[0]));
  }

  private static void add(UserAgentTokens.Builder builder, long mask, DataTable.Row row) {
    try {
      builder.add(mask, row.get(1));
    } catch (IllegalArgumentException e) {
      throw row.error(e.getMessage());
    }
  }

  /**
   * Classifies a non-blank User-Agent on its own.
   *
   * @param userAgent the header value, already truncated
   */
  static UserAgentTraits classify(String userAgent) {
    String ua = asciiLowerCase(userAgent);
    long f = TOKENS.scan(ua, 0, ua.length());
    if (isBot(ua, f)) {
      return new UserAgentTraits(BOT, null, null, null, botKind(ua, f));
    }
    String app = app(f);
    return new UserAgentTraits(device(ua, f), os(f), browser(f, app), app, null);
  }

  /**
   * Returns the device class of a non-blank User-Agent.
   *
   * @param userAgent the header value, already truncated
   */
  static String device(String userAgent) {
    return classify(userAgent).device();
  }

  /**
   * The device class of a User-Agent that is not a bot. TVs, streaming boxes and home consoles are
   * desktops, handheld consoles phones; Puffin names its device; then the Android model, unless an
   * e-reader's or Silk's token or the word tablet says tablet; then the tokens.
   */
  private static String device(String ua, long f) {
    if ((f & F_TV) != 0) {
      return DESKTOP;
    }
    if ((f & F_HANDHELD) != 0) {
      return MOBILE;
    }
    if ((f & F_OTHER_BROWSER) != 0) {
      String puffin = puffin(ua);
      if (puffin != null) {
        return puffin;
      }
    }
    boolean tablet = (f & F_TABLET) != 0 || ((f & F_TABLET_WORD) != 0 && (f & F_TABLET_PC) == 0);
    if ((f & F_ANDROID) != 0 && (f & F_CHROME_OS) == 0) {
      String fromModel = AndroidModels.device(AndroidModels.model(ua));
      if (tablet || TABLET.equals(fromModel)) {
        // a computer's or TV's model wins over Silk (Fire TV) and e-reader tokens, not "tablet"
        return DESKTOP.equals(fromModel) && (f & F_TABLET_WORD) == 0 ? DESKTOP : TABLET;
      }
      if (fromModel != null) {
        return fromModel;
      }
      if ((f & (F_MOBI | F_PHONE)) == 0
          && ua.startsWith("mozilla/")
          && (f & (F_SAFARI | F_GECKO)) != 0) {
        return TABLET;
      }
      return MOBILE;
    }
    if (tablet) {
      return TABLET;
    }
    return (f & F_MOBILE) != 0 ? MOBILE : DESKTOP;
  }

  /**
   * Puffin writes its device after its version: {@code Puffin/9.6.0.51126AP}, A or I for Android or
   * iOS, then P for a phone or T for a tablet. Returns null for other suffixes or none.
   */
  private static String puffin(String ua) {
    int at = ua.indexOf("puffin/");
    if (at < 0) {
      return null;
    }
    int i = at + 7;
    while (i < ua.length() && (isDigit(ua.charAt(i)) || ua.charAt(i) == '.')) {
      i++;
    }
    if (i + 1 >= ua.length() || (ua.charAt(i) != 'a' && ua.charAt(i) != 'i')) {
      return null;
    }
    char kind = ua.charAt(i + 1);
    if (i + 2 < ua.length() && isLetterOrDigit(ua.charAt(i + 2))) {
      return null;
    }
    return kind == 'p' ? MOBILE : kind == 't' ? TABLET : null;
  }

  /**
   * Returns whether a {@code Signature-Agent} header (Web Bot Auth: the signing agent's URL, such
   * as {@code "https://chatgpt.com"}) names an AI agent listed in the bots resource.
   *
   * @param value the header value, already truncated
   */
  static boolean isAiAgentSignature(String value) {
    String lower = asciiLowerCase(value);
    return (TOKENS.scan(lower, 0, lower.length()) & F_AI_AGENT) != 0;
  }

  /** The kind of a bot: the first kind found of the precedence order, else a crawler. */
  private static String botKind(String ua, long f) {
    if ((f & F_AI_AGENT) != 0) {
      return AI_AGENT;
    }
    if ((f & F_PREVIEW) != 0) {
      return PREVIEW;
    }
    if ((f & F_MONITOR) != 0) {
      return MONITOR;
    }
    if ((f & F_CRAWLER) == 0 && (f & F_HTTP_CLIENT) != 0 && !ua.contains("bot")) {
      return HTTP_CLIENT;
    }
    return CRAWLER;
  }

  private static String os(long f) {
    if ((f & F_IOS) != 0) {
      return "ios";
    }
    if ((f & F_WINDOWS_PHONE) != 0) {
      return "windows";
    }
    if ((f & F_ANDROID) != 0) {
      return "android";
    }
    if ((f & F_OTHER_OS) != 0) {
      return "other";
    }
    if ((f & F_CHROME_OS) != 0) {
      return "chromeos";
    }
    if ((f & F_WINDOWS) != 0) {
      return "windows";
    }
    if ((f & F_MAC) != 0) {
      return "macos";
    }
    return (f & F_LINUX) != 0 ? "linux" : "other";
  }

  private static String browser(long f, String app) {
    if ((f & F_EDGE) != 0) {
      return "edge";
    }
    if ((f & F_OPERA) != 0) {
      return "opera";
    }
    if ((f & F_SAMSUNG) != 0) {
      return "samsung";
    }
    if (app != null || (f & (F_OTHER_BROWSER | F_WEBVIEW)) != 0) {
      return "other";
    }
    if ((f & F_FIREFOX) != 0) {
      return "firefox";
    }
    if ((f & F_CHROME) != 0) {
      return "chrome";
    }
    if ((f & F_SAFARI) != 0 && (f & F_VERSION) != 0 && (f & (F_IOS | F_MAC)) != 0) {
      return "safari";
    }
    return "other";
  }

  private static String app(long f) {
    long apps = f >>> F_APP_SHIFT;
    if (apps == 0) {
      return null;
    }
    return APPS[Long.numberOfTrailingZeros(apps)];
  }

  private static boolean isBot(String ua, long f) {
    if ((f & F_BOT) != 0 || (f & F_PLATFORM) == 0 || hasBotWord(ua) || hasEmailAddress(ua)) {
      return true;
    }
    int compatible = ua.indexOf("(compatible;");
    if (compatible < 0) {
      return false;
    }
    int end = ua.indexOf(')', compatible);
    end = end < 0 ? ua.length() : end;
    return PLATFORMS.scan(ua, compatible, end) == 0
        && indexOf(ua, "msie", compatible, end) < 0
        && indexOf(ua, "konqueror", compatible, end) < 0;
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
      int android = indexOf(ua, "android", open, modelEnd);
      if (android >= 0) {
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

  static int indexOf(String s, String token, int from, int to) {
    int i = s.indexOf(token, from);
    return i >= 0 && i + token.length() <= to ? i : -1;
  }

  /** Lower-cases ASCII letters only, so indices match the original string. */
  static String asciiLowerCase(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !(s.charAt(i) >= 'A' && s.charAt(i) <= 'Z')) {
      i++;
    }
    if (i == n) {
      return s;
    }
    char[] chars = s.toCharArray();
    for (; i < n; i++) {
      char c = chars[i];
      if (c >= 'A' && c <= 'Z') {
        chars[i] = (char) (c + ('a' - 'A'));
      }
    }
    return new String(chars);
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || isDigit(c);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
