package dev.persona.internal.context;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The known traffic-source hosts and utm_source names, read once from the {@code hosts-*.txt}
 * resources next to this class (format: {@link DataTable}), and the Android apps whose {@code
 * android-app://} Referer counts as the channel of their site ({@code referrer-apps.tsv}).
 *
 * <p>An entry {@code example.com} matches that host and its subdomains; {@code name.*} matches
 * {@code name} under a public suffix of one or two labels of 2 or 3 letters (google.de,
 * google.co.uk, google.com.br) and the bare utm_source {@code name}; an entry without a dot matches
 * that utm_source only. Lookups take time linear in the host's length: only the last few labels are
 * looked up, never every suffix.
 */
final class TrafficHosts {

  /** What a host or utm_source is known as. */
  enum Category {
    EMAIL("hosts-email.txt"),
    SOCIAL("hosts-social.txt"),
    SEARCH("hosts-search.txt"),
    SMS("hosts-sms.txt"),
    PUSH("hosts-push.txt");

    private final String resource;

    Category(String resource) {
      this.resource = resource;
    }

    String resource() {
      return resource;
    }
  }

  private static final int MAX_ENTRY_LENGTH = 253;

  /** The categories of {@code referrer-apps.tsv}, by the name its rows give them. */
  private static final Map<String, Category> APP_CATEGORIES =
      Map.of(
          "email", Category.EMAIL,
          "social", Category.SOCIAL,
          "search", Category.SEARCH,
          "sms", Category.SMS,
          "push", Category.PUSH);

  private static final Map<String, Category> HOSTS = new HashMap<>();
  private static final Map<String, Category> WILDCARDS = new HashMap<>();
  private static final Map<String, Category> NAMES = new HashMap<>();
  private static final Map<String, Category> APPS = new HashMap<>();
  private static final int MAX_HOST_LABELS;
  private static final int MAX_WILDCARD_LABELS;

  static {
    int hostLabels = 1;
    int wildcardLabels = 1;
    for (Category category : Category.values()) {
      for (String entry : read(category.resource())) {
        if (entry.endsWith(".*")) {
          String name = entry.substring(0, entry.length() - 2);
          put(WILDCARDS, name, category, entry);
          wildcardLabels = Math.max(wildcardLabels, labels(name));
        } else if (entry.indexOf('.') < 0) {
          put(NAMES, entry, category, entry);
        } else {
          put(HOSTS, entry, category, entry);
          hostLabels = Math.max(hostLabels, labels(entry));
        }
      }
    }
    for (DataTable.Row row : DataTable.read("referrer-apps.tsv", 2)) {
      Category category = APP_CATEGORIES.get(row.get(0));
      if (category == null) {
        throw row.error("unknown category, expected one of " + APP_CATEGORIES.keySet());
      }
      if (!isValidEntry(row.get(1)) || row.get(1).endsWith(".*") || row.get(1).indexOf('.') < 0) {
        throw row.error("not a lower-case package name");
      }
      if (APPS.putIfAbsent(row.get(1), category) != null) {
        throw row.error("app listed twice");
      }
    }
    MAX_HOST_LABELS = hostLabels;
    MAX_WILDCARD_LABELS = wildcardLabels;
  }

  private TrafficHosts() {}

  /**
   * Returns the category of a normalized host (lower case, without www. and port), or null. Exact
   * entries win over {@code name.*} ones, and longer (more specific) entries over shorter.
   */
  static Category ofHost(String host) {
    if (host == null || host.isEmpty()) {
      return null;
    }
    Category exact = longestSuffix(HOSTS, host, host.length(), MAX_HOST_LABELS);
    if (exact != null) {
      return exact;
    }
    // name.* : strip a one- or two-label suffix of short labels, then look the rest up.
    int end = host.length();
    for (int suffixLabels = 1; suffixLabels <= 2; suffixLabels++) {
      int dot = host.lastIndexOf('.', end - 1);
      if (dot <= 0 || !isShortLabel(host, dot + 1, end)) {
        return null;
      }
      Category wildcard = longestSuffix(WILDCARDS, host, dot, MAX_WILDCARD_LABELS);
      if (wildcard != null) {
        return wildcard;
      }
      end = dot;
    }
    return null;
  }

  /**
   * Returns the category of an Android app that opened the link, named by the package of an {@code
   * android-app://PACKAGE/} Referer (lower case), or null when the app is not listed.
   */
  static Category ofApp(String packageName) {
    return packageName == null ? null : APPS.get(packageName);
  }

  /**
   * Returns the category of a normalized utm_source value that is a bare name (no dot), or null.
   */
  static Category ofName(String name) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    Category category = NAMES.get(name);
    return category != null ? category : WILDCARDS.get(name);
  }

  /**
   * Looks up the suffixes of {@code host.substring(0, end)} of at most {@code maxLabels} labels,
   * longest first.
   */
  private static Category longestSuffix(
      Map<String, Category> map, String host, int end, int maxLabels) {
    int start = end;
    int found = 0;
    // Find where the longest candidate (maxLabels labels) starts.
    while (start > 0 && found < maxLabels) {
      int dot = host.lastIndexOf('.', start - 2);
      start = dot < 0 ? 0 : dot + 1;
      found++;
    }
    while (start < end) {
      Category category = map.get(host.substring(start, end));
      if (category != null) {
        return category;
      }
      int dot = host.indexOf('.', start);
      if (dot < 0 || dot >= end) {
        return null;
      }
      start = dot + 1;
    }
    return null;
  }

  private static boolean isShortLabel(String host, int start, int end) {
    int length = end - start;
    if (length < 2 || length > 3) {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = host.charAt(i);
      if (c < 'a' || c > 'z') {
        return false;
      }
    }
    return true;
  }

  private static int labels(String entry) {
    int labels = 1;
    for (int i = 0; i < entry.length(); i++) {
      if (entry.charAt(i) == '.') {
        labels++;
      }
    }
    return labels;
  }

  private static void put(Map<String, Category> map, String key, Category category, String entry) {
    Category previous = map.putIfAbsent(key, category);
    if (previous != null) {
      throw new IllegalStateException(
          "traffic host entry listed twice: "
              + entry
              + " ("
              + previous.resource()
              + ", "
              + category.resource()
              + ")");
    }
  }

  /**
   * Reads a host list: one entry a line, each checked by {@link #isValidEntry}.
   *
   * @throws IllegalStateException naming the resource and line of a malformed entry
   */
  static List<String> read(String resource) {
    List<String> entries = new ArrayList<>();
    for (DataTable.Row row : DataTable.read(resource, 1)) {
      if (!isValidEntry(row.get(0))) {
        throw row.error("not a lower-case host or name");
      }
      entries.add(row.get(0));
    }
    return List.copyOf(entries);
  }

  /** Lower-case host labels or a bare name, optionally ending in {@code .*}; no www. prefix. */
  static boolean isValidEntry(String entry) {
    String name = entry.endsWith(".*") ? entry.substring(0, entry.length() - 2) : entry;
    if (name.isEmpty() || name.length() > MAX_ENTRY_LENGTH || name.startsWith("www.")) {
      return false;
    }
    char previous = '.';
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || HeaderText.isAsciiDigit(c) || c == '-' || c == '_' || c == '.';
      if (!ok || (c == '.' && previous == '.')) {
        return false;
      }
      previous = c;
    }
    return previous != '.';
  }
}
