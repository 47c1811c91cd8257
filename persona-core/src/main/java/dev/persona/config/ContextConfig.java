package dev.persona.config;

import dev.persona.internal.context.CountryExtractor;
import dev.persona.internal.context.TrafficSourceExtractor;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the built-in extractors read the situation of a request: the store's time zone and the
 * headers a CDN sets for the visitor's country and time zone, the store's own hosts, the gifting
 * calendar, the User-Agent cache, and the store's {@linkplain Vocabulary vocabulary} of sale and
 * gift pages and price sorts.
 *
 * <pre>{@code
 * ContextConfig context = ContextConfig.builder()
 *     .timeZone(ZoneId.of("Europe/Warsaw"))
 *     .siteHosts(List.of("shop.example.com"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; its builder is not thread-safe.
 *
 * @since 0.3.0
 */
public final class ContextConfig {
  private static final ContextConfig DEFAULTS = builder().build();

  private final ZoneId timeZone;
  private final List<String> visitorTimeZoneHeaders;
  private final List<String> geoHeaders;
  private final Set<String> siteHosts;
  private final GiftingCalendar giftingCalendar;
  private final long userAgentCacheSize;
  private final Vocabulary vocabulary;

  private ContextConfig(Builder b) {
    this.timeZone = b.timeZone;
    this.visitorTimeZoneHeaders = b.visitorTimeZoneHeaders;
    this.geoHeaders = b.geoHeaders;
    this.siteHosts = b.siteHosts;
    this.giftingCalendar = b.giftingCalendar;
    this.userAgentCacheSize = b.userAgentCacheSize;
    this.vocabulary = b.vocabulary;
  }

  /**
   * Returns the defaults: UTC, the geo headers of Cloudflare and CloudFront, no site hosts, the
   * default gifting calendar, a cache of 10,000 User-Agents and the default vocabulary.
   *
   * @return the default context configuration
   */
  public static ContextConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the time zone of {@code daypart}, {@code weekday} and {@code season}.
   *
   * @return the store's time zone
   */
  public ZoneId timeZone() {
    return timeZone;
  }

  /**
   * Returns the headers that may hold the visitor's IANA time zone, in order of preference.
   *
   * @return header names; empty when none is read
   */
  public List<String> visitorTimeZoneHeaders() {
    return visitorTimeZoneHeaders;
  }

  /**
   * Returns the headers that may hold the visitor's country, in order of preference.
   *
   * @return header names, at least one
   */
  public List<String> geoHeaders() {
    return geoHeaders;
  }

  /**
   * Returns the store's own hosts, normalized: lower case, without scheme, port or {@code www.}.
   *
   * @return host names; empty when none was given
   */
  public Set<String> siteHosts() {
    return siteHosts;
  }

  /**
   * Returns the gifting periods the {@code season} signal reports.
   *
   * @return the calendar
   */
  public GiftingCalendar giftingCalendar() {
    return giftingCalendar;
  }

  /**
   * Returns how many User-Agent strings the device extractor caches.
   *
   * @return a count; 0 when there is no cache
   */
  public long userAgentCacheSize() {
    return userAgentCacheSize;
  }

  /**
   * Returns the words that make an event a sale view, a gift view or a price sort; a rule set's own
   * vocabulary ({@code RuleSet.vocabulary()}) is used instead of it.
   *
   * @return the vocabulary
   * @since 0.5.0
   */
  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public String toString() {
    return "ContextConfig{timeZone="
        + timeZone
        + ", visitorTimeZoneHeaders="
        + visitorTimeZoneHeaders
        + ", geoHeaders="
        + geoHeaders
        + ", siteHosts="
        + siteHosts.size()
        + ", giftingCalendar="
        + giftingCalendar
        + ", userAgentCacheSize="
        + userAgentCacheSize
        + ", vocabulary="
        + vocabulary
        + "}";
  }

  /**
   * Builds a {@link ContextConfig}; each setter checks its argument at once. Not thread-safe.
   *
   * @since 0.3.0
   */
  public static final class Builder {
    private ZoneId timeZone = ZoneOffset.UTC;
    private List<String> visitorTimeZoneHeaders = List.of();
    private List<String> geoHeaders = CountryExtractor.DEFAULT_HEADERS;
    private Set<String> siteHosts = Set.of();
    private GiftingCalendar giftingCalendar = GiftingCalendar.defaults();
    private long userAgentCacheSize = 10_000;
    private Vocabulary vocabulary = Vocabulary.defaults();

    private Builder() {}

    /**
     * Sets the time zone of {@code daypart}, {@code weekday} and {@code season} (default UTC).
     *
     * @param zone the store's or its visitors' time zone
     * @return this builder
     */
    public Builder timeZone(ZoneId zone) {
      this.timeZone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * Sets headers a CDN uses for the visitor's IANA time zone, such as {@code
     * CloudFront-Viewer-Time-Zone}; when one holds a valid zone, {@code daypart}, {@code weekday}
     * and {@code season} use the visitor's local time instead of {@link #timeZone}. None by
     * default.
     *
     * @param headers header names, in order of preference
     * @return this builder
     */
    public Builder visitorTimeZoneHeaders(List<String> headers) {
      this.visitorTimeZoneHeaders = names(headers);
      return this;
    }

    /**
     * Sets the headers, in order, that a CDN uses to tell the visitor's country (default {@code
     * CF-IPCountry}, {@code CloudFront-Viewer-Country}, {@code X-Country-Code}).
     *
     * @param headers header names, at least one
     * @return this builder
     * @throws IllegalArgumentException if empty
     */
    public Builder geoHeaders(List<String> headers) {
      List<String> names = names(headers);
      if (names.isEmpty()) {
        throw new IllegalArgumentException("geoHeaders needs at least one header name");
      }
      this.geoHeaders = names;
      return this;
    }

    private static List<String> names(List<String> headers) {
      Objects.requireNonNull(headers, "headers");
      headers.forEach(h -> Objects.requireNonNull(h, "header name"));
      return List.copyOf(headers);
    }

    /**
     * Sets the store's own hosts, such as {@code shop.example.com}, so that a visitor coming from
     * one of them counts as {@code traffic_source = internal} (the request's {@code Host} always
     * counts). None by default.
     *
     * @param hosts host names, optionally with scheme, port or {@code www.}
     * @return this builder
     * @throws IllegalArgumentException if one is not a host name
     */
    public Builder siteHosts(Collection<String> hosts) {
      this.siteHosts = TrafficSourceExtractor.siteHosts(Objects.requireNonNull(hosts, "hosts"));
      return this;
    }

    /**
     * Sets the gifting periods the {@code season} signal reports (default {@link
     * GiftingCalendar#defaults()}: Mother's Day by country, Black Friday to Cyber Monday, Singles'
     * Day, the Christmas run-up, Valentine's Day and Lunar New Year).
     *
     * @param calendar the calendar
     * @return this builder
     */
    public Builder giftingCalendar(GiftingCalendar calendar) {
      this.giftingCalendar = Objects.requireNonNull(calendar, "calendar");
      return this;
    }

    /**
     * Sets how many User-Agent strings the device extractor caches with their classification
     * (default 10,000). The cache holds raw User-Agent strings of any session and is not erased by
     * {@code forget} or {@code forgetUser}; 0 turns it off (and the device extractor's table of the
     * last few User-Agents with it), so that no User-Agent outlives its request, at the cost of
     * classifying every User-Agent anew.
     *
     * @param size a count, zero or more; 0 for no cache
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder userAgentCacheSize(long size) {
      if (size < 0) {
        throw new IllegalArgumentException("userAgentCacheSize must not be negative, was " + size);
      }
      this.userAgentCacheSize = size;
      return this;
    }

    /**
     * Sets the words that make an event a sale view, a gift view or a price sort (default {@link
     * Vocabulary#defaults()}: English, Polish, Romanian, Finnish and Chinese). A rule set with a
     * vocabulary of its own uses that instead.
     *
     * @param vocabulary the vocabulary
     * @return this builder
     * @since 0.5.0
     */
    public Builder vocabulary(Vocabulary vocabulary) {
      this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return the immutable configuration
     */
    public ContextConfig build() {
      return new ContextConfig(this);
    }
  }
}
