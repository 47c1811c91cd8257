package dev.persona.internal.context;

import java.util.Locale;

/**
 * Reads the host of a URL or of a {@code Host} header value, normalized as traffic sources compare
 * hosts. Stateless and thread-safe.
 */
final class UrlHosts {

  private static final int MAX_HOST_LENGTH = 253;

  private UrlHosts() {}

  /**
   * Returns the normalized host of a URL ({@code withScheme}) or of a Host header value: lower
   * case, without port, user info, trailing dot and leading {@code www.}; null when malformed.
   */
  static String parse(String value, boolean withScheme) {
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
}
