package dev.persona.internal.context;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classifies a User-Agent string: device class, operating system and browser families, in-app
 * browser host. Rules only: token scans with {@link UserAgentTokens} and a few model-name
 * heuristics, no regular expressions, so the cost is linear in the length of the string. The tokens
 * are data: the {@code user-agent-tokens.tsv} and {@code user-agent-apps.tsv} resources, read when
 * the class is initialized.
 */
final class UserAgentClassifier {

  static final String MOBILE = "mobile";
  static final String TABLET = "tablet";
  static final String DESKTOP = "desktop";
  static final String BOT = "bot";

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
  private static final long F_APP_SHIFT = 40;

  /** Android model names of laptops and desktops running Android builds. */
  private static final String[] COMPUTER_MODELS = {
    "chromebook",
    "pixelbook",
    "elitebook",
    "probook",
    "notebook",
    "netbook",
    "matebook",
    "vivobook",
    "zenbook",
    "thinkpad",
    "inspiron",
    "latitude",
    "aspire",
    "travelmate",
    "easynote",
    "compaq",
    "optiplex",
    "elitedesk",
    "prodesk",
    "thinkcentre",
  };

  /** Model name prefixes of tablet lines (Samsung, Lenovo, Google, Sony, Acer, Asus, others). */
  private static final String[] TABLET_MODEL_PREFIXES = {
    "sm-t",
    "sm-x",
    "sm-p",
    "gt-p",
    "gt-n80",
    "gt-n51",
    "shw-m38",
    "sgp",
    "tb-",
    "tb2-",
    "tb3-",
    "yt-",
    "yt3-",
    "nexus 7",
    "nexus 9",
    "nexus 10",
    "pixel c",
    "pmt",
    "pmp",
    "opd",
    "rmp2",
    "t1-",
    "iplay",
    "a1-",
    "b1-",
    "a3-a",
    "b3-a",
    "ideatab",
    "mediapad",
    "matepad",
    "galaxy tab",
    "iconia",
    "transformer",
    "xoom",
    "venue",
    "slate",
  };

  /** Words in model names that mark tablets, including makers of tablets only. */
  private static final String[] TABLET_MODEL_WORDS = {
    "tab",
    "pad",
    "wifi",
    "wi-fi",
    "kids",
    "readboy",
    "teclast",
    "chuwi",
    "alldocube",
    "vankyo",
    "pipo",
    "ainol",
    "irbis",
    "digma",
  };

  /** Huawei and Honor tablet model codes, written CODE-XX00 (MediaPad, MatePad, Honor Pad). */
  private static final String[] HUAWEI_TABLET_CODES = {
    "ags", "agr", "agm", "bah", "bg2", "brt", "btv", "bza", "bzc", "bzd", "bzk", "bzt", "bzw",
        "cmr",
    "cpn", "dby", "dbr", "fdr", "got", "hey", "jdn", "kjr", "kob", "krj", "mon", "mrx", "rod",
        "scm",
    "sht", "tgr", "vrd", "wgr",
  };

  /** Comment parts after the Android version that are not the device model. */
  private static final String[] MODEL_FILLERS = {
    "wv", "harmonyos", "mobile", "tablet", "arm", "arm_64", "linux",
  };

  /** Brand words that may precede a model code. */
  private static final String[] BRANDS = {
    "lenovo ", "samsung ", "huawei ", "honor ", "asus ", "acer ", "amazon ", "google ", "sony ",
  };

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
          Map.entry("gecko", F_GECKO));

  private static final Tables TABLES = load("user-agent-tokens.tsv", "user-agent-apps.tsv");

  /** All tokens, features and apps alike. */
  private static final UserAgentTokens TOKENS = TABLES.tokens();

  /** The platform tokens alone, looked for in a {@code (compatible; ...)} comment. */
  private static final UserAgentTokens PLATFORMS = TABLES.platforms();

  /** In-app browser hosts, in order of precedence; bit {@code F_APP_SHIFT + index}. */
  private static final String[] APPS = TABLES.apps();

  private UserAgentClassifier() {}

  /** The token matchers and app names read from the resources. */
  record Tables(UserAgentTokens tokens, UserAgentTokens platforms, String[] apps) {}

  /**
   * Reads the token tables: {@code FEATURE TOKEN} rows, then {@code APP TOKEN} rows.
   *
   * @throws IllegalStateException naming the resource and line of a rejected row, or the feature
   *     without a token
   */
  static Tables load(String tokensResource, String appsResource) {
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
      return new UserAgentTraits(BOT, null, null, null);
    }
    String app = app(f);
    return new UserAgentTraits(device(ua, f), os(f), browser(f, app), app);
  }

  /**
   * Returns the device class of a non-blank User-Agent.
   *
   * @param userAgent the header value, already truncated
   */
  static String device(String userAgent) {
    return classify(userAgent).device();
  }

  private static String device(String ua, long f) {
    if ((f & F_TABLET) != 0 || ((f & F_TABLET_WORD) != 0 && (f & F_TABLET_PC) == 0)) {
      return TABLET;
    }
    if ((f & F_ANDROID) != 0 && (f & F_CHROME_OS) == 0) {
      String fromModel = modelDevice(androidModel(ua));
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
    return (f & F_MOBILE) != 0 ? MOBILE : DESKTOP;
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

  /**
   * Returns the device model named after the Android version in a user agent, lower case, or null:
   * {@code sm-t225n} in {@code (Linux; Android 11; SM-T225N Build/RP1A)}.
   */
  static String androidModel(String ua) {
    int at = -1;
    int n = ua.length();
    for (int i = ua.indexOf("android"); i >= 0 && at < 0; i = ua.indexOf("android", i + 7)) {
      int next = i + 7;
      if (next < n && (ua.charAt(next) == ' ' || ua.charAt(next) == ';')) {
        at = next;
      }
    }
    if (at < 0) {
      int adr = ua.indexOf("adr ");
      if (adr < 0) {
        return null;
      }
      at = adr + 4;
    }
    int end = ua.indexOf(')', at);
    end = end < 0 ? n : end;
    int semicolon = ua.indexOf(';', at);
    while (semicolon >= 0 && semicolon < end) {
      int start = semicolon + 1;
      int stop = ua.indexOf(';', start);
      stop = stop < 0 || stop > end ? end : stop;
      semicolon = stop < end ? stop : -1;
      int cut = indexOf(ua, "build/", start, stop);
      if (cut >= 0) {
        stop = cut;
      }
      cut = indexOf(ua, " applewebkit", start, stop);
      if (cut >= 0) {
        stop = cut;
      }
      while (start < stop && ua.charAt(start) <= ' ') {
        start++;
      }
      while (stop > start && ua.charAt(stop - 1) <= ' ') {
        stop--;
      }
      if (!isModelFiller(ua, start, stop)) {
        return ua.substring(start, stop);
      }
    }
    return null;
  }

  /** Whether a comment part is a locale, a flag or empty rather than a device model. */
  private static boolean isModelFiller(String ua, int start, int stop) {
    int len = stop - start;
    if (len <= 1) {
      return true;
    }
    for (String filler : MODEL_FILLERS) {
      if (len == filler.length() && ua.startsWith(filler, start)) {
        return true;
      }
    }
    if (ua.startsWith("hmscore", start)) {
      return true;
    }
    if (len > 10) {
      return false;
    }
    for (int i = start; i < stop; i++) {
      char c = ua.charAt(i);
      if (!(c >= 'a' && c <= 'z') && c != '-' && c != '_') {
        return false;
      }
    }
    return len <= 3 || ua.charAt(start + 2) == '-' || ua.charAt(start + 2) == '_';
  }

  /** Judges a lower-case Android model name: tablet, mobile, desktop, or null when unknown. */
  static String modelDevice(String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    for (String computer : COMPUTER_MODELS) {
      int at = model.indexOf(computer);
      if (at == 0 || (at > 0 && model.charAt(at - 1) == ' ')) {
        return DESKTOP;
      }
    }
    String core = model;
    for (String brand : BRANDS) {
      if (model.startsWith(brand)) {
        core = model.substring(brand.length());
        break;
      }
    }
    if (isTabletModel(model, core)) {
      return TABLET;
    }
    if (core.startsWith("sm-") || model.contains("phone")) {
      return MOBILE;
    }
    int archos = model.indexOf("archos");
    if (archos >= 0) {
      int size = firstNumber(model, archos + 6);
      return size >= 70 ? TABLET : size > 0 ? MOBILE : null;
    }
    return null;
  }

  private static boolean isTabletModel(String model, String core) {
    for (String prefix : TABLET_MODEL_PREFIXES) {
      if (core.startsWith(prefix)) {
        return true;
      }
    }
    for (String word : TABLET_MODEL_WORDS) {
      if (model.contains(word) && !model.contains("cool" + word)) {
        return true;
      }
    }
    return isWordStart(model, "mid")
        || isHuaweiTablet(core)
        || isAmazonFire(core)
        || isAsusTablet(core)
        || isXiaomiPad(core)
        || isBqTablet(core)
        || isIrbisTablet(core)
        || isAlcatelTablet(core)
        || hasDigmaTabletCode(model)
        || hasTabletScreenSize(model);
  }

  /**
   * A screen diagonal of 7 to 13.x inches written into the name ({@code Gravity 9.7}, {@code
   * Impulse 7.85 3G}), as makers of budget tablets do; phone names with numbers are excluded.
   */
  private static boolean hasTabletScreenSize(String model) {
    if (model.contains("phone") || model.contains("nokia") || model.indexOf('/') >= 0) {
      return false;
    }
    int n = model.length();
    for (int dot = model.indexOf('.'); dot > 0; dot = model.indexOf('.', dot + 1)) {
      int start = dot;
      while (start > 0 && isDigit(model.charAt(start - 1))) {
        start--;
      }
      int end = dot + 1;
      while (end < n && isDigit(model.charAt(end))) {
        end++;
      }
      if (start == dot
          || dot - start > 2
          || end == dot + 1
          || end - dot > 3
          || (start > 0 && isLetterOrDigit(model.charAt(start - 1)))
          || (end < n && (model.charAt(end) == '.' || isLetter(model.charAt(end))))) {
        continue;
      }
      int inches = firstNumber(model, start);
      if (inches >= 7 && inches <= 13) {
        return true;
      }
    }
    return false;
  }

  /** {@code mid} at the start of the name or after a non-letter: Mobile Internet Device. */
  private static boolean isWordStart(String s, String word) {
    for (int i = s.indexOf(word); i >= 0; i = s.indexOf(word, i + 1)) {
      if (i == 0 || !isLetter(s.charAt(i - 1))) {
        return true;
      }
    }
    return false;
  }

  /** CODE-XX00 with a tablet code, or any CODE-W00 (Huawei's Wi-Fi-only tablets). */
  private static boolean isHuaweiTablet(String core) {
    int dash = core.indexOf('-');
    if (dash < 3 || dash > 5 || dash + 3 > core.length()) {
      return false;
    }
    for (int i = 0; i < dash; i++) {
      if (!isLetterOrDigit(core.charAt(i))) {
        return false;
      }
    }
    char kind = core.charAt(dash + 1);
    if (kind == 'w' && isDigit(core.charAt(dash + 2))) {
      return true;
    }
    for (String code : HUAWEI_TABLET_CODES) {
      if (core.startsWith(code)) {
        return true;
      }
    }
    return false;
  }

  /** KF and letters only: Amazon Fire tablets (KFTT, KFTHWI, KFMEWI...). */
  private static boolean isAmazonFire(String core) {
    if (!core.startsWith("kf") || core.length() < 4 || core.length() > 8) {
      return false;
    }
    for (int i = 2; i < core.length(); i++) {
      if (!isLetter(core.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Asus MeMO Pad and ZenPad codes: K0xx, P0xx, ME000, TF000. */
  private static boolean isAsusTablet(String core) {
    int n = core.length();
    if (n == 4 && (core.startsWith("k0") || core.startsWith("p0"))) {
      return isLetterOrDigit(core.charAt(2)) && isLetterOrDigit(core.charAt(3));
    }
    return n >= 5
        && (core.startsWith("me") || core.startsWith("tf"))
        && isDigit(core.charAt(2))
        && isDigit(core.charAt(3))
        && isDigit(core.charAt(4));
  }

  /** Xiaomi model numbers: four digits, a letter or digit, then RP for the Pad line. */
  private static boolean isXiaomiPad(String core) {
    if (core.length() < 8) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (!isDigit(core.charAt(i))) {
        return false;
      }
    }
    return core.startsWith("rp", 5);
  }

  /** BQ numbers its models by screen size: BQ-7xxx, BQ-8xxx and BQ-1xxx are tablets. */
  private static boolean isBqTablet(String core) {
    int at = core.startsWith("bq-") ? 3 : core.startsWith("bqru-") ? 5 : -1;
    if (at < 0 || at + 4 > core.length()) {
      return false;
    }
    char size = core.charAt(at);
    return (size == '7' || size == '8' || size == '1')
        && isDigit(core.charAt(at + 1))
        && isDigit(core.charAt(at + 2))
        && isDigit(core.charAt(at + 3));
  }

  /** Alcatel and TCL number tablets 8000 to 9999 (phones 4000 to 6999): 9032X, 8068_EEA. */
  private static boolean isAlcatelTablet(String core) {
    int n = core.length();
    if (n < 4 || (core.charAt(0) != '8' && core.charAt(0) != '9')) {
      return false;
    }
    for (int i = 1; i < 4; i++) {
      if (!isDigit(core.charAt(i))) {
        return false;
      }
    }
    int i = n > 4 && isLetter(core.charAt(4)) ? 5 : 4;
    return i == n || core.charAt(i) == '_';
  }

  /** Irbis tablets: TZ and digits only. */
  private static boolean isIrbisTablet(String core) {
    if (!core.startsWith("tz") || core.length() < 4 || core.length() > 5) {
      return false;
    }
    for (int i = 2; i < core.length(); i++) {
      if (!isDigit(core.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Digma tablet codes: TS, PS or HS, four digits, two letters (Optima, Plane, Hit lines). */
  private static boolean hasDigmaTabletCode(String model) {
    int n = model.length();
    for (int i = model.indexOf('s'); i > 0 && i + 7 <= n; i = model.indexOf('s', i + 1)) {
      char kind = model.charAt(i - 1);
      if ((kind == 't' || kind == 'p' || kind == 'h')
          && (i == 1 || !isLetter(model.charAt(i - 2)))
          && isDigit(model.charAt(i + 1))
          && isDigit(model.charAt(i + 2))
          && isDigit(model.charAt(i + 3))
          && isDigit(model.charAt(i + 4))
          && isLetter(model.charAt(i + 5))
          && isLetter(model.charAt(i + 6))) {
        return true;
      }
    }
    return false;
  }

  private static int firstNumber(String s, int from) {
    int i = from;
    int n = s.length();
    while (i < n && !isDigit(s.charAt(i))) {
      i++;
    }
    int value = 0;
    int digits = 0;
    while (i < n && isDigit(s.charAt(i)) && digits < 4) {
      value = value * 10 + (s.charAt(i) - '0');
      i++;
      digits++;
    }
    return value;
  }

  private static int indexOf(String s, String token, int from, int to) {
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

  private static boolean isLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLetterOrDigit(char c) {
    return isLetter(c) || isDigit(c);
  }
}
