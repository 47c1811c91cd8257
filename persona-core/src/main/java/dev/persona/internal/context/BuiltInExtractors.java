package dev.persona.internal.context;

import dev.persona.SignalSpec;
import dev.persona.config.ContextConfig;
import dev.persona.config.Limits;
import dev.persona.spi.SignalExtractor;
import java.util.ArrayList;
import java.util.List;

/** Creates the built-in contextual extractors and lists the signals they declare. */
public final class BuiltInExtractors {

  private BuiltInExtractors() {}

  /**
   * Creates the built-in extractors: device, language, country, traffic source, time and privacy.
   *
   * @param context how they read the request
   * @param maxHeaderLength characters read of each header, positive
   * @return the extractors, in that order
   */
  public static List<SignalExtractor> create(ContextConfig context, int maxHeaderLength) {
    return List.of(
        new DeviceExtractor(maxHeaderLength, context.userAgentCacheSize()),
        new LanguageExtractor(maxHeaderLength),
        new CountryExtractor(context.geoHeaders(), maxHeaderLength),
        new TrafficSourceExtractor(maxHeaderLength, context.siteHosts()),
        new TimeExtractor(
            context.giftingCalendar(),
            context.geoHeaders(),
            context.visitorTimeZoneHeaders(),
            maxHeaderLength),
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
        create(ContextConfig.defaults(), Limits.defaults().maxHeaderLength())) {
      specs.addAll(extractor.signals());
    }
    return List.copyOf(specs);
  }
}
