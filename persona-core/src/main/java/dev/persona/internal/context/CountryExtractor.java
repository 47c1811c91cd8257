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

/** Emits the ISO country code a CDN or proxy put in a geolocation header. */
public final class CountryExtractor implements SignalExtractor {

  /** The headers of Cloudflare, Amazon CloudFront and a common convention, in that order. */
  public static final List<String> DEFAULT_HEADERS =
      List.of("CF-IPCountry", "CloudFront-Viewer-Country", "X-Country-Code");

  private static final String KEY = "country";
  private static final List<SignalSpec> SIGNALS =
      List.of(
          new SignalSpec(
              KEY,
              SignalKind.CONTEXTUAL,
              SignalType.TEXT,
              "Two-letter country code from a geolocation header, such as DE"));

  private final List<String> headerNames;
  private final int maxHeaderLength;

  /**
   * Creates the extractor.
   *
   * @param headerNames the headers to read, in order of preference
   * @param maxHeaderLength characters read of each header, positive
   */
  public CountryExtractor(List<String> headerNames, int maxHeaderLength) {
    this.headerNames =
        Objects.requireNonNull(headerNames, "headerNames").stream()
            .map(h -> h.toLowerCase(Locale.ROOT))
            .toList();
    this.maxHeaderLength = HeaderText.checkMaxLength(maxHeaderLength);
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
    for (String name : headerNames) {
      String country = countryCode(HeaderText.header(visit, name, maxHeaderLength));
      if (country != null) {
        sink.text(KEY, country);
        return;
      }
    }
  }

  /** Returns the upper-case code when {@code value} is two ASCII letters, not a placeholder. */
  static String countryCode(String value) {
    if (value == null) {
      return null;
    }
    String code = value.trim();
    if (code.length() != 2
        || !HeaderText.isAsciiLetter(code.charAt(0))
        || !HeaderText.isAsciiLetter(code.charAt(1))) {
      return null;
    }
    code = code.toUpperCase(Locale.ROOT);
    return code.equals("XX") || code.equals("T1") ? null : code;
  }
}
