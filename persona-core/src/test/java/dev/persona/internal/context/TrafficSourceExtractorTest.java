package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.Visit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

final class TrafficSourceExtractorTest {

  private final TrafficSourceExtractor extractor = new TrafficSourceExtractor(2048);

  private Map<String, Object> run(Visit.Builder visit) {
    return RecordingSink.run(extractor, visit.build());
  }

  private static Visit.Builder referer(String referer) {
    return Visit.builder("s").header("Host", "shop.example.com").header("Referer", referer);
  }

  private String source(Visit.Builder visit) {
    return (String) run(visit).get("traffic_source");
  }

  @Test
  void isDirectWithoutReferrerOrParameters() {
    assertThat(run(Visit.builder("s"))).containsOnly(entry("traffic_source", "direct"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"gclid", "msclkid", "dclid", "ttclid", "gbraid", "wbraid"})
  void isPaidWithAClickId(String clickId) {
    Visit.Builder visit =
        referer("https://www.facebook.com/").query(clickId, "abc").query("utm_medium", "email");

    assertThat(source(visit)).isEqualTo("paid");
  }

  @Test
  void ignoresAnEmptyClickId() {
    assertThat(source(Visit.builder("s").query("gclid", " "))).isEqualTo("direct");
  }

  @ParameterizedTest
  @CsvSource({
    "cpc, paid",
    "CPC, paid",
    "ppc, paid",
    "paid, paid",
    "paidsearch, paid",
    "paid_social, paid",
    "display, paid",
    "cpm, paid",
    "banner, paid",
    "email, email",
    "E-Mail, email",
    "newsletter, email",
    "social, social",
    "social-network, social",
    "social_media, social",
    "sm, social",
    "organic, search",
    "' Organic ', search"
  })
  void classifiesUtmMedium(String medium, String expected) {
    Visit.Builder visit = referer("https://news.example.org/").query("utm_medium", medium);

    assertThat(source(visit)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "facebook, social",
    "Instagram, social",
    "t.co, social",
    "www.linkedin.com, social",
    "google, search",
    "bing, search",
    "duckduckgo.com, search",
    "newsletter, email",
    "mailchimp, email",
    "mail.google.com, email"
  })
  void classifiesUtmSourceWhenMediumIsUnknown(String utmSource, String expected) {
    Visit.Builder visit =
        referer("https://news.example.org/")
            .query("utm_medium", "referral")
            .query("utm_source", utmSource);

    assertThat(source(visit)).isEqualTo(expected);
  }

  @Test
  void fallsBackToRefererWhenParametersSayNothing() {
    Visit.Builder visit =
        referer("https://www.google.de/").query("utm_source", "partner").query("utm_medium", "x");

    assertThat(source(visit)).isEqualTo("search");
  }

  @ParameterizedTest
  @CsvSource({
    "https://www.google.com/, search",
    "https://www.google.co.uk/search?q=shoes, search",
    "https://google.de, search",
    "https://www.google.com.br/, search",
    "https://news.google.com/articles, search",
    "https://www.bing.com/search?q=x, search",
    "https://duckduckgo.com/, search",
    "https://search.yahoo.com/search?p=x, search",
    "https://uk.search.yahoo.com/, search",
    "https://yandex.ru/search/, search",
    "https://www.baidu.com/s?wd=x, search",
    "https://www.ecosia.org/search?q=x, search",
    "https://search.naver.com/, search",
    "https://search.seznam.cz/, search",
    "https://www.startpage.com/, search",
    "https://search.brave.com/search?q=x, search",
    "https://www.qwant.com/?q=x, search",
    "https://www.facebook.com/, social",
    "https://l.facebook.com/l.php?u=x, social",
    "https://m.facebook.com/, social",
    "https://l.instagram.com/?u=x, social",
    "https://t.co/abc, social",
    "https://x.com/someone, social",
    "https://twitter.com/, social",
    "https://www.linkedin.com/feed/, social",
    "https://lnkd.in/abc, social",
    "https://www.pinterest.co.uk/pin/1, social",
    "https://pinterest.de/, social",
    "https://www.tiktok.com/, social",
    "https://old.reddit.com/r/x, social",
    "https://www.youtube.com/watch?v=x, social",
    "https://www.snapchat.com/, social",
    "https://vk.com/, social",
    "https://weibo.com/, social",
    "https://www.threads.net/, social",
    "https://mail.google.com/mail/u/0/, email",
    "https://outlook.live.com/mail/0/, email",
    "https://mail.yahoo.com/d/folders/1, email",
    "https://blog.example.org/post, referral",
    "http://192.168.0.1:8080/x, referral",
    "android-app://com.google.android.gm/, referral"
  })
  void classifiesRefererHost(String referer, String expected) {
    assertThat(source(referer(referer))).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://notgoogle.com/",
        "https://google.evil.com/",
        "https://googleusercontent.com/",
        "https://mybing.com/",
        "https://t.com/",
        "https://facebook.com.evil.net/",
        "https://x.company.com/"
      })
  void doesNotMatchLookalikeHosts(String referer) {
    assertThat(source(referer(referer))).isEqualTo("referral");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://shop.example.com/cart",
        "https://www.shop.example.com/",
        "https://SHOP.example.com:443/x",
        "http://shop.example.com./"
      })
  void isDirectForSameSiteReferrer(String referer) {
    assertThat(source(referer(referer))).isEqualTo("direct");
  }

  @Test
  void comparesSameSiteIgnoringPortAndWww() {
    Visit.Builder visit =
        Visit.builder("s")
            .header("Host", "www.Shop.Example.com:8443")
            .header("Referer", "https://shop.example.com/");

    assertThat(source(visit)).isEqualTo("direct");
  }

  @Test
  void treatsSameSiteAsDirectEvenForAKnownHost() {
    Visit.Builder visit =
        Visit.builder("s")
            .header("Host", "www.google.com")
            .header("Referer", "https://google.com/");

    assertThat(source(visit)).isEqualTo("direct");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "google.com",
        "//www.google.com/",
        "://google.com",
        "https://",
        "https:///path",
        "https://goo gle.com/",
        "https://google..com/",
        "https://google.com:80x/",
        "https://[::1/",
        "1http://google.com/",
        "https://bücher.de/",
        "https://goo\u0000gle.com/"
      })
  void isDirectForAnUnparseableReferrer(String referer) {
    assertThat(source(referer(referer))).isEqualTo("direct");
  }

  @Test
  void parsesUserInfoPortsAndIpv6() {
    assertThat(source(referer("https://user:pw@www.bing.com:443/x"))).isEqualTo("search");
    assertThat(source(referer("https://evil.com@www.bing.com/"))).isEqualTo("search");
    assertThat(source(referer("https://[2001:db8::1]:8080/"))).isEqualTo("referral");
    assertThat(source(referer("https://www.google.com?q=x"))).isEqualTo("search");
    assertThat(source(referer("https://www.google.com#top"))).isEqualTo("search");
  }

  @Test
  void emitsTheCampaignLowercasedAndTrimmed() {
    Visit.Builder visit = Visit.builder("s").query("utm_campaign", "  Summer_Sale-2024 ");

    assertThat(run(visit))
        .containsOnly(entry("traffic_source", "direct"), entry("campaign", "summer_sale-2024"));
  }

  @Test
  void truncatesTheCampaignTo64Characters() {
    Visit.Builder visit = Visit.builder("s").query("utm_campaign", "AbCd".repeat(100));

    assertThat((String) run(visit).get("campaign")).hasSize(64).isEqualTo("abcd".repeat(16));
  }

  @Test
  void dropsControlCharactersAndSplitSurrogatesFromTheCampaign() {
    String emoji = "\uD83D\uDE00";
    Visit.Builder visit =
        Visit.builder("s").query("utm_campaign", "a\u0000b\nc" + "x".repeat(60) + emoji);

    assertThat((String) run(visit).get("campaign")).isEqualTo("abc" + "x".repeat(60));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "\u0000\t"})
  void omitsAnEmptyCampaign(String campaign) {
    assertThat(run(Visit.builder("s").query("utm_campaign", campaign)))
        .doesNotContainKey("campaign");
  }

  @Test
  void handlesAHugeRefererAndParameters() {
    String huge = "x".repeat(1 << 20);
    Visit.Builder visit =
        Visit.builder("s")
            .header("Referer", "https://www.google.com/search?q=" + huge)
            .header("Host", huge)
            .query("utm_source", huge)
            .query("utm_medium", huge)
            .query("utm_campaign", huge);

    assertThat(run(visit)).containsEntry("traffic_source", "search").containsKey("campaign");
    assertThat(source(referer("https://" + huge + ".com/"))).isEqualTo("referral");
  }

  @Test
  void emitsNothingForANullVisit() {
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void rejectsNonPositiveMaxHeaderLength() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TrafficSourceExtractor(-1));
  }

  @Test
  void declaresTwoContextualTexts() {
    assertThat(extractor.name()).isEqualTo("traffic_source");
    assertThat(extractor.signals())
        .extracting(SignalSpec::key)
        .containsExactly("traffic_source", "campaign");
    assertThat(extractor.signals()).allMatch(s -> s.kind() == SignalKind.CONTEXTUAL);
  }
}
