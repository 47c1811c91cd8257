package dev.persona.internal.context;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the device model in an Android User-Agent and judges it: tablet, phone or computer (a
 * laptop, a desktop, or a TV or streaming box, which count as desktops). The model words and codes
 * are data, the {@code android-models.tsv} resource read when the class is initialized; the rules
 * for the makers' numbering schemes are code. Stateless and thread-safe.
 */
final class AndroidModels {

  private static final String MOBILE = UserAgentClassifier.MOBILE;
  private static final String TABLET = UserAgentClassifier.TABLET;
  private static final String DESKTOP = UserAgentClassifier.DESKTOP;

  private static final Map<String, String[]> LISTS = read("android-models.tsv");

  /** Android model names of laptops and desktops running Android builds. */
  private static final String[] COMPUTERS = LISTS.get("computer");

  /** Words in model names of TVs and streaming boxes, which count as desktops. */
  private static final String[] TVS = LISTS.get("tv");

  /** Brand words that may precede a model code. */
  private static final String[] BRANDS = LISTS.get("brand");

  /** Model name prefixes of tablet lines. */
  private static final String[] TABLET_PREFIXES = LISTS.get("tablet_prefix");

  /** Model code prefixes of tablet lines that a digit follows: tb in TB128FU. */
  private static final String[] TABLET_CODES = LISTS.get("tablet_code");

  /** Words in model names that mark tablets, including makers of tablets only. */
  private static final String[] TABLET_WORDS = LISTS.get("tablet_word");

  /** Huawei and Honor tablet model codes, written CODE-XX00 (MediaPad, MatePad, Honor Pad). */
  private static final String[] HUAWEI_TABLET_CODES = LISTS.get("huawei_tablet");

  /** Comment parts after the Android version that are not the device model. */
  private static final String[] FILLERS = LISTS.get("filler");

  // What a scan of the model found anywhere in it; the rules then check where only when found.
  private static final long M_COMPUTER = 1;
  private static final long M_TV = 1 << 1;
  private static final long M_TABLET_PREFIX = 1 << 2;
  private static final long M_TABLET_CODE = 1 << 3;
  private static final long M_TABLET_WORD = 1 << 4;

  /** The words and codes of the lists above, found in one pass over a model. */
  private static final UserAgentTokens WORDS =
      new UserAgentTokens.Builder()
          .add(M_COMPUTER, COMPUTERS)
          .add(M_TV, TVS)
          .add(M_TABLET_PREFIX, TABLET_PREFIXES)
          .add(M_TABLET_CODE, TABLET_CODES)
          .add(M_TABLET_WORD, TABLET_WORDS)
          .build();

  private AndroidModels() {}

  /**
   * Reads {@code LIST VALUE} rows into one array a list, in file order.
   *
   * @throws IllegalStateException naming the resource and line of a rejected row, or the list
   *     without a value
   */
  static Map<String, String[]> read(String resource) {
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (String list :
        List.of(
            "computer",
            "tv",
            "brand",
            "tablet_prefix",
            "tablet_code",
            "tablet_word",
            "huawei_tablet",
            "filler")) {
      lists.put(list, new ArrayList<>());
    }
    for (DataTable.Row row : DataTable.read(resource, 2)) {
      List<String> values = lists.get(row.get(0));
      if (values == null) {
        throw row.error("unknown list, expected one of " + lists.keySet());
      }
      String value = row.get(1);
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
          throw row.error("not lower-case ASCII");
        }
      }
      values.add(value);
    }
    Map<String, String[]> arrays = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> list : lists.entrySet()) {
      if (list.getValue().isEmpty()) {
        throw new IllegalStateException(resource + ": no value for " + list.getKey());
      }
      arrays.put(list.getKey(), list.getValue().toArray(new String[0]));
    }
    return Map.copyOf(arrays);
  }

  /**
   * Returns the device model named after the Android version in a user agent, lower case, or null:
   * {@code sm-t225n} in {@code (Linux; Android 11; SM-T225N Build/RP1A)}.
   */
  static String model(String ua) {
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
      int cut = UserAgentClassifier.indexOf(ua, "build/", start, stop);
      if (cut >= 0) {
        stop = cut;
      }
      cut = UserAgentClassifier.indexOf(ua, " applewebkit", start, stop);
      if (cut >= 0) {
        stop = cut;
      }
      while (start < stop && ua.charAt(start) <= ' ') {
        start++;
      }
      while (stop > start && ua.charAt(stop - 1) <= ' ') {
        stop--;
      }
      if (!isModelFiller(ua, start, stop) && !ua.startsWith("applewebkit", start)) {
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
    for (String filler : FILLERS) {
      if (len == filler.length() && ua.startsWith(filler, start)) {
        return true;
      }
    }
    if (ua.startsWith("hmscore", start) || isVersion(ua, start, stop)) {
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

  /** Digits and dots only, a dot among them: an Android version where a model would be (7.0). */
  private static boolean isVersion(String ua, int start, int stop) {
    boolean dot = false;
    for (int i = start; i < stop; i++) {
      char c = ua.charAt(i);
      if (c == '.') {
        dot = true;
      } else if (!isDigit(c)) {
        return false;
      }
    }
    return dot;
  }

  /**
   * Judges a lower-case Android model name: tablet, mobile, desktop (a computer, a TV or a
   * streaming box), or null when unknown.
   */
  static String device(String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    long found = WORDS.scan(model, 0, model.length());
    if ((found & M_TV) != 0 || ((found & M_COMPUTER) != 0 && hasComputerWord(model))) {
      return DESKTOP;
    }
    String core = model;
    for (String brand : BRANDS) {
      if (model.startsWith(brand)) {
        core = model.substring(brand.length());
        break;
      }
    }
    if (isAmazonFireTv(core)) {
      return DESKTOP;
    }
    if (isTabletModel(model, core, found)) {
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

  /** A computer's word at the start of the model or after a space. */
  private static boolean hasComputerWord(String model) {
    for (String computer : COMPUTERS) {
      for (int at = model.indexOf(computer); at >= 0; at = model.indexOf(computer, at + 1)) {
        if (at == 0 || model.charAt(at - 1) == ' ') {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isTabletModel(String model, String core, long found) {
    if ((found & M_TABLET_PREFIX) != 0) {
      for (String prefix : TABLET_PREFIXES) {
        if (core.startsWith(prefix)) {
          return true;
        }
      }
    }
    if ((found & M_TABLET_CODE) != 0) {
      for (String code : TABLET_CODES) {
        if (core.startsWith(code)
            && core.length() > code.length()
            && isDigit(core.charAt(code.length()))) {
          return true;
        }
      }
    }
    if ((found & M_TABLET_WORD) != 0) {
      for (String word : TABLET_WORDS) {
        if (model.contains(word) && !model.contains("cool" + word)) {
          return true;
        }
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
        || isSizeCoded(core)
        || isCubeTablet(core)
        || isRegionalTabletCode(core)
        || hasSizeThenCellular(model)
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

  /** AFT and letters only: Amazon Fire TV sticks and boxes (AFTMM, AFTKA, AFTSSS...). */
  private static boolean isAmazonFireTv(String core) {
    if (!core.startsWith("aft") || core.length() < 4 || core.length() > 8) {
      return false;
    }
    for (int i = 3; i < core.length(); i++) {
      if (!isLetter(core.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Two letters, the screen's inches in two digits (07 to 10), two digits and a letter: a code
   * scheme of budget 7 to 10 inch tablets (QS0716D, RC0719H, LC0804B, QS1023H).
   */
  private static boolean isSizeCoded(String core) {
    if (core.length() != 7
        || !isLetter(core.charAt(0))
        || !isLetter(core.charAt(1))
        || !isLetter(core.charAt(6))) {
      return false;
    }
    for (int i = 2; i < 6; i++) {
      if (!isDigit(core.charAt(i))) {
        return false;
      }
    }
    int inches = (core.charAt(2) - '0') * 10 + (core.charAt(3) - '0');
    return inches >= 7 && inches <= 10;
  }

  /**
   * A letter, two digits, then letters, spaces, dashes or underscores up to a region suffix, _EEA
   * or _ROW: the tablet codes of Teclast and other budget makers, built for the European Economic
   * Area or the rest of the world (P85_EEA, M40 Plus_EEA, T65Max_ROW). Alcatel's phones (5024D_EEA)
   * start with four digits, other phones with longer numbers.
   */
  private static boolean isRegionalTabletCode(String core) {
    int n = core.length();
    if (n < 7
        || !(core.endsWith("eea") || core.endsWith("row"))
        || !isLetter(core.charAt(0))
        || !isDigit(core.charAt(1))
        || !isDigit(core.charAt(2))) {
      return false;
    }
    char separator = core.charAt(n - 4);
    if (separator != '_' && separator != '-') {
      return false;
    }
    for (int i = 3; i < n - 4; i++) {
      char c = core.charAt(i);
      if (!isLetter(c) && c != ' ' && c != '_' && c != '-') {
        return false;
      }
    }
    return true;
  }

  /**
   * A screen size of 7 to 10 inches as a word of its own, maybe with a letter (7, 7A, 10), and a
   * cellular word after it (3G, 4G, LTE): how budget tablets are named (Mobi 7 LTE, 7A_3G, Tab 8
   * 3G), as phones, cellular all, are not.
   */
  private static boolean hasSizeThenCellular(String model) {
    int n = model.length();
    for (int i = 0; i < n; i++) {
      if (i > 0 && !isSeparator(model.charAt(i - 1))) {
        continue;
      }
      int end = i;
      while (end < n && end - i < 2 && isDigit(model.charAt(end))) {
        end++;
      }
      if (end == i) {
        continue;
      }
      int inches = firstNumber(model, i);
      if (inches < 7 || inches > 10 || (end - i == 2 && inches != 10)) {
        continue;
      }
      if (end < n && isLetter(model.charAt(end))) {
        end++;
      }
      if (end < n && isSeparator(model.charAt(end)) && hasCellularWord(model, end)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCellularWord(String model, int from) {
    for (String word : new String[] {"3g", "4g", "lte"}) {
      for (int i = model.indexOf(word, from); i > 0; i = model.indexOf(word, i + 1)) {
        int end = i + word.length();
        if (isSeparator(model.charAt(i - 1))
            && (end == model.length() || !isLetterOrDigit(model.charAt(end)))) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '_' || c == '-';
  }

  /** Cube's tablets: U, two or three digits, GT (U27GT, U30GT2, U51GT-W, U103GT1). */
  private static boolean isCubeTablet(String core) {
    int i = 1;
    while (i < core.length() && i <= 3 && isDigit(core.charAt(i))) {
      i++;
    }
    return core.startsWith("u") && i >= 3 && core.startsWith("gt", i);
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

  /**
   * BQ and teXet number their models by screen size: BQ-7xxx, BQ-8xxx, BQ-1xxx and TM-7xxx,
   * TM-9xxx, TM-1xxx are tablets (TM-4xxx and TM-5xxx phones).
   */
  private static boolean isBqTablet(String core) {
    int at = -1;
    for (String line : new String[] {"bq-", "bqru-", "tm-", "texet tm-"}) {
      if (core.startsWith(line)) {
        at = line.length();
      }
    }
    if (at < 0 || at + 4 > core.length()) {
      return false;
    }
    char size = core.charAt(at);
    return (size == '7' || size == '8' || size == '9' || size == '1')
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
