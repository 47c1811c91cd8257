package dev.persona.internal.context;

import dev.persona.SignalSpec;
import dev.persona.context.GiftingCalendar;
import dev.persona.spi.SignalExtractor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Creates the built-in contextual extractors and lists the signals they declare. */
public final class BuiltInExtractors {

  private static final int DEFAULT_MAX_HEADER_LENGTH = 2048;
  private static final long DEFAULT_UA_CACHE_SIZE = 10_000;

  private BuiltInExtractors() {}

  /**
   * Creates the built-in extractors: device, language, country, traffic source, time and privacy.
   *
   * @param geoHeaders the headers that may hold the visitor's country, in order of preference
   * @param maxHeaderLength characters read of each header, positive
   * @param uaCacheSize the most User-Agent classifications kept, zero or more
   * @param siteHosts the store's own hosts, whose referrals count as internal
   * @param calendar the gifting periods {@code season} reports
   * @param timeZoneHeaders headers that may hold the visitor's time zone; may be empty
   * @return the extractors, in that order
   */
  public static List<SignalExtractor> create(
      List<String> geoHeaders,
      int maxHeaderLength,
      long uaCacheSize,
      Set<String> siteHosts,
      GiftingCalendar calendar,
      List<String> timeZoneHeaders) {
    return List.of(
        new DeviceExtractor(maxHeaderLength, uaCacheSize),
        new LanguageExtractor(maxHeaderLength),
        new CountryExtractor(geoHeaders, maxHeaderLength),
        new TrafficSourceExtractor(maxHeaderLength, siteHosts),
        new TimeExtractor(calendar, geoHeaders, timeZoneHeaders, maxHeaderLength),
        new PrivacyExtractor());
  }

  /**
   * Returns the signals the built-in extractors declare.
   *
   * @return the declarations, in extractor order
   */
  public static List<SignalSpec> specs() {
    List<SignalSpec> specs = new ArrayList<>();
    for (SignalExtractor extractor :
        create(
            CountryExtractor.DEFAULT_HEADERS,
            DEFAULT_MAX_HEADER_LENGTH,
            DEFAULT_UA_CACHE_SIZE,
            Set.of(),
            GiftingCalendar.defaults(),
            List.of())) {
      specs.addAll(extractor.signals());
    }
    return List.copyOf(specs);
  }
}
