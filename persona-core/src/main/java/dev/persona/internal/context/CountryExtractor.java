package dev.persona.internal.context;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.SignalType;
import dev.persona.Visit;
import dev.persona.spi.SignalSink;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Emits the ISO 3166-1 country code a CDN or proxy put in a geolocation header and, when the CDN
 * also gives the subdivision, the ISO 3166-2 style region such as {@code US-CA}.
 */
public final class CountryExtractor implements BuiltInExtractor {

  /** Header values seen lately and the code in each; the country and time extractors share it. */
  private static final RecentValues<String> CODES = new RecentValues<>(CountryCodes::parse);

  /** The headers of Cloudflare, Amazon CloudFront and a common convention, in that order. */
  public static final List<String> DEFAULT_HEADERS =
      List.of("CF-IPCountry", "CloudFront-Viewer-Country", "X-Country-Code");

  /** The region headers of Cloudflare, Amazon CloudFront and a common convention, in that order. */
  public static final List<String> DEFAULT_REGION_HEADERS =
      List.of("CF-Region-Code", "CloudFront-Viewer-Country-Region", "X-Region-Code");

  private static final String COUNTRY = "country";
  private static final String REGION = "region";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              COUNTRY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "ISO 3166-1 alpha-2 country from a geolocation header, such as DE"),
          new SignalSpec(
              REGION,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "ISO 3166-2 style region from a CDN header, such as US-CA"));

  /** The longest subdivision code accepted, in characters (ISO 3166-2 uses 1 to 3). */
  private static final int MAX_REGION_LENGTH = 3;

  private final List<String> headerNames;
  private final List<String> regionHeaderNames;
  private final int maxHeaderLength;

  /**
   * Creates the extractor, reading the region from {@link #DEFAULT_REGION_HEADERS}.
   *
   * @param headerNames the headers to read the country from, in order of preference
   * @param maxHeaderLength characters read of each header, positive
   */
  public CountryExtractor(List<String> headerNames, int maxHeaderLength) {
    this(headerNames, DEFAULT_REGION_HEADERS, maxHeaderLength);
  }

  /**
   * Creates the extractor.
   *
   * @param headerNames the headers to read the country from, in order of preference
   * @param regionHeaderNames the headers to read the region from, in order of preference; empty for
   *     no region
   * @param maxHeaderLength characters read of each header, positive
   */
  public CountryExtractor(
      List<String> headerNames, List<String> regionHeaderNames, int maxHeaderLength) {
    this.headerNames = lowerCase(Objects.requireNonNull(headerNames, "headerNames"));
    this.regionHeaderNames =
        lowerCase(Objects.requireNonNull(regionHeaderNames, "regionHeaderNames"));
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
  }

  static List<String> lowerCase(List<String> names) {
    return names.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  public String name() {
    return "country";
  }

  @Override
  public List<SignalSpec> signals() {
    return SIGNALS;
  }

  @Override
  public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
    Objects.requireNonNull(sink, "sink");
    String country = country(visit, headerNames, maxHeaderLength);
    if (country == null) {
      return;
    }
    sink.text(COUNTRY, country);
    for (int i = 0; i < regionHeaderNames.size(); i++) {
      String region =
          regionCode(HeaderText.header(visit, regionHeaderNames.get(i), maxHeaderLength), country);
      if (region != null) {
        sink.text(REGION, country + "-" + region);
        return;
      }
    }
  }

  /**
   * Returns the first valid country code found in the given headers.
   *
   * @param visit the request, may be null
   * @param lowerCaseNames header names, lower case, in order of preference
   * @param maxHeaderLength characters read of each header
   * @return an assigned upper-case alpha-2 code, or null
   */
  static String country(Visit visit, List<String> lowerCaseNames, int maxHeaderLength) {
    if (visit == null) {
      return null;
    }
    for (int i = 0; i < lowerCaseNames.size(); i++) {
      String country =
          countryCode(HeaderText.header(visit, lowerCaseNames.get(i), maxHeaderLength));
      if (country != null) {
        return country;
      }
    }
    return null;
  }

  /**
   * Returns the upper-case code when {@code value} is an officially assigned ISO 3166-1 alpha-2
   * code; placeholders (XX, T1, A1, EU, AP, ZZ) and unassigned codes give null.
   */
  static String countryCode(String value) {
    return value == null ? null : CODES.get(value);
  }

  /**
   * Returns the upper-case subdivision part of a region header: 1 to 3 ASCII letters or digits,
   * optionally prefixed by the country and a hyphen ({@code US-CA}), surrounding whitespace
   * ignored.
   */
  static String regionCode(String value, String country) {
    if (value == null) {
      return null;
    }
    int start = 0;
    int end = value.length();
    while (start < end && value.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && value.charAt(end - 1) <= ' ') {
      end--;
    }
    if (end - start > 3
        && value.charAt(start + 2) == '-'
        && value.regionMatches(true, start, country, 0, 2)) {
      start += 3;
    }
    int length = end - start;
    if (length < 1 || length > MAX_REGION_LENGTH) {
      return null;
    }
    for (int i = start; i < end; i++) {
      char c = value.charAt(i);
      if (!HeaderText.isAsciiLetter(c) && !HeaderText.isAsciiDigit(c)) {
        return null;
      }
    }
    return value.substring(start, end).toUpperCase(Locale.ROOT);
  }
}
