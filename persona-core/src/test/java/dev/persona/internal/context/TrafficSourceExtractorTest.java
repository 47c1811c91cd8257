package dev.persona.internal.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.persona.SignalKind;
import dev.persona.SignalSpec;
import dev.persona.Visit;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
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

  private String utm(String source, String medium) {
    Visit.Builder visit = referer("https://news.example.org/");
    if (source != null) {
      visit.query("utm_source", source);
    }
    if (medium != null) {
      visit.query("utm_medium", medium);
    }
    return source(visit);
  }

  @Test
  void isDirectWithoutReferrerOrParameters() {
    assertThat(run(Visit.builder("s"))).containsOnly(entry("traffic_source", "direct"));
  }

  // Click ids

  @ParameterizedTest
  @CsvSource({
    "gclid, paid_search",
    "gbraid, paid_search",
    "wbraid, paid_search",
    "msclkid, paid_search",
    "dclid, display",
    "ttclid, paid_social",
    "twclid, paid_social",
    "li_fat_id, paid_social",
    "ScCid, paid_social",
    "GCLID, paid_search",
    "MsClkId, paid_search",
    "TTCLID, paid_social"
  })
  void aClickIdMeansPaidTraffic_overAnUnpaidUtmMediumAndTheReferrer(
      String clickId, String expected) {
    Visit.Builder visit =
        referer("https://www.facebook.com/").query(clickId, "abc").query("utm_medium", "email");

    assertThat(source(visit)).isEqualTo(expected);
  }

  @Test
  void aPaidUtmMediumSaysWhichKindOfPaid_evenWithAClickId() {
    assertThat(source(Visit.builder("s").query("gclid", "x").query("utm_medium", "display")))
        .isEqualTo("display");
    assertThat(
            source(
                Visit.builder("s")
                    .query("gclid", "x")
                    .query("utm_source", "youtube")
                    .query("utm_medium", "cpv")))
        .isEqualTo("paid_social");
  }

  @Test
  void ignoresAnEmptyClickId() {
    assertThat(source(Visit.builder("s").query("gclid", " "))).isEqualTo("direct");
  }

  @Test
  void fbclidAlone_isAnOrganicFacebookClick() {
    assertThat(source(Visit.builder("s").query("fbclid", "IwAR0x"))).isEqualTo("organic_social");
    assertThat(source(referer("https://blog.example.org/").query("FBCLID", "IwAR0x")))
        .isEqualTo("organic_social");
  }

  @Test
  void fbclidWithAPaidUtm_isPaidSocial() {
    Visit.Builder visit =
        referer("https://l.facebook.com/")
            .query("fbclid", "IwAR0x")
            .query("utm_source", "facebook")
            .query("utm_medium", "paid_social");

    assertThat(source(visit)).isEqualTo("paid_social");
  }

  @Test
  void fbclidWithAnEmailUtm_isEmail() {
    assertThat(source(Visit.builder("s").query("fbclid", "x").query("utm_medium", "newsletter")))
        .isEqualTo("email");
  }

  // utm_source / utm_medium, in GA4's order

  @ParameterizedTest
  @CsvSource({
    "google, cpc, paid_search",
    "bing, ppc, paid_search",
    "google.com, paid, paid_search",
    "duckduckgo, retargeting, paid_search",
    "Google, CPC, paid_search",
    "facebook, cpc, paid_social",
    "instagram, paid_social, paid_social",
    "tiktok, paidsocial, paid_social",
    "linkedin, cpm, paid_social",
    "l.facebook.com, ppc, paid_social",
    "partner, display, display",
    "partner, banner, display",
    "partner, cpm, display",
    "partner, expandable, display",
    "partner, interstitial, display",
    "partner, cpc, display",
    "partner, paid_social, paid_social",
    "partner, paid-search, paid_search",
    "facebook, social, organic_social",
    "partner, social, organic_social",
    "partner, social-network, organic_social",
    "partner, social_media, organic_social",
    "partner, social network, organic_social",
    "partner, Social Media, organic_social",
    "partner, sm, organic_social",
    "t.co, , organic_social",
    "pin.it, referral, organic_social",
    "google, organic, organic_search",
    "partner, organic, organic_search",
    "' Organic ', ' ORGANIC ', organic_search",
    "bing, , organic_search",
    "yandex, referral, organic_search",
    "www.google.co.uk, , organic_search",
    "https://www.bing.com/, , organic_search",
    "slickdeals, referral, referral",
    "partner, app, referral",
    "partner, link, referral",
    "email, referral, referral",
    "crm, email, email",
    "crm, e-mail, email",
    "crm, e_mail, email",
    "crm, e mail, email",
    "crm, E-Mail, email",
    "email, , email",
    "E_Mail, , email",
    "newsletter, , email",
    "mailchimp, , email",
    "mail.google.com, , email",
    "partner, affiliate, affiliate",
    "awin, Affiliate, affiliate",
    "sms, , sms",
    "attentive, , sms",
    "crm, sms, sms",
    "crm, SMS, sms",
    "crm, push, push",
    "crm, web_push, push",
    "crm, mobile, push",
    "crm, mobile-app, push",
    "crm, notification, push",
    "firebase, , push",
    "onesignal, , push",
    "(direct), (none), direct"
  })
  void followsTheGa4ChannelRules(String source, String medium, String expected) {
    assertThat(utm(source, medium)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"partner, x", "partner, ", "(not set), (not set)", "'', ''", "(direct), cpc"})
  void fallsBackToTheReferrerWhenTheParametersSayNothing(String source, String medium) {
    Visit.Builder visit = referer("https://www.google.de/").query("utm_source", source);
    if (medium != null) {
      visit.query("utm_medium", medium);
    }

    assertThat(source(visit)).isEqualTo("organic_search");
  }

  @Test
  void aPaidMediumFromAnUnknownSourceIsPlacedByTheReferrer() {
    assertThat(source(referer("https://www.google.com/").query("utm_medium", "cpc")))
        .isEqualTo("paid_search");
    assertThat(source(referer("https://t.co/x").query("utm_medium", "cpc")))
        .isEqualTo("paid_social");
  }

  @Test
  void utmBeatsTheReferrer() {
    Visit.Builder visit =
        referer("https://www.google.com/")
            .query("utm_source", "newsletter")
            .query("utm_medium", "email");

    assertThat(run(visit))
        .containsEntry("traffic_source", "email")
        .containsEntry("referrer_host", "google.com");
  }

  @Test
  void matchesParameterNamesIgnoringCase() {
    Visit.Builder visit =
        Visit.builder("s")
            .query("UTM_Source", "Facebook")
            .query("Utm_Medium", "CPC")
            .query("UTM_CAMPAIGN", "Spring");

    assertThat(run(visit))
        .containsOnly(entry("traffic_source", "paid_social"), entry("campaign", "spring"));
  }

  @Test
  void keepsTheFirstOfParametersThatDifferOnlyInCase() {
    Visit.Builder visit =
        Visit.builder("s").query("utm_medium", "email").query("UTM_MEDIUM", "cpc");

    assertThat(source(visit)).isEqualTo("email");
  }

  @Test
  void aCampaignAloneSaysNothingAboutTheChannel() {
    assertThat(source(referer("https://t.co/x").query("utm_campaign", "spring")))
        .isEqualTo("organic_social");
  }

  // Referrer hosts

  @ParameterizedTest
  @CsvSource({
    "https://www.google.com/, organic_search, google.com",
    "https://www.google.co.uk/search?q=shoes, organic_search, google.co.uk",
    "https://google.de, organic_search, google.de",
    "https://www.google.com.br/, organic_search, google.com.br",
    "https://www.google.co.jp/, organic_search, google.co.jp",
    "https://www.google.com.au/, organic_search, google.com.au",
    "https://news.google.com/articles, organic_search, news.google.com",
    "https://www.bing.com/search?q=x, organic_search, bing.com",
    "https://cn.bing.com/, organic_search, cn.bing.com",
    "https://duckduckgo.com/, organic_search, duckduckgo.com",
    "https://search.yahoo.com/search?p=x, organic_search, search.yahoo.com",
    "https://uk.search.yahoo.com/, organic_search, uk.search.yahoo.com",
    "https://search.yahoo.co.jp/, organic_search, search.yahoo.co.jp",
    "https://yandex.ru/search/, organic_search, yandex.ru",
    "https://yandex.com.tr/, organic_search, yandex.com.tr",
    "https://www.baidu.com/s?wd=x, organic_search, baidu.com",
    "https://www.ecosia.org/search?q=x, organic_search, ecosia.org",
    "https://search.naver.com/, organic_search, search.naver.com",
    "https://search.seznam.cz/, organic_search, search.seznam.cz",
    "https://www.startpage.com/, organic_search, startpage.com",
    "https://search.brave.com/search?q=x, organic_search, search.brave.com",
    "https://www.qwant.com/?q=x, organic_search, qwant.com",
    "https://www.sogou.com/, organic_search, sogou.com",
    "https://www.so.com/, organic_search, so.com",
    "https://search.daum.net/, organic_search, search.daum.net",
    "https://coccoc.com/search, organic_search, coccoc.com",
    "https://www.facebook.com/, organic_social, facebook.com",
    "https://l.facebook.com/l.php?u=x, organic_social, l.facebook.com",
    "https://lm.facebook.com/, organic_social, lm.facebook.com",
    "https://m.facebook.com/, organic_social, m.facebook.com",
    "https://fb.me/x, organic_social, fb.me",
    "https://l.instagram.com/?u=x, organic_social, l.instagram.com",
    "https://t.co/abc, organic_social, t.co",
    "https://x.com/someone, organic_social, x.com",
    "https://twitter.com/, organic_social, twitter.com",
    "https://www.linkedin.com/feed/, organic_social, linkedin.com",
    "https://lnkd.in/abc, organic_social, lnkd.in",
    "https://www.pinterest.co.uk/pin/1, organic_social, pinterest.co.uk",
    "https://pinterest.de/, organic_social, pinterest.de",
    "https://pin.it/x, organic_social, pin.it",
    "https://www.tiktok.com/, organic_social, tiktok.com",
    "https://old.reddit.com/r/x, organic_social, old.reddit.com",
    "https://www.youtube.com/watch?v=x, organic_social, youtube.com",
    "https://youtu.be/x, organic_social, youtu.be",
    "https://www.snapchat.com/, organic_social, snapchat.com",
    "https://vk.com/, organic_social, vk.com",
    "https://weibo.com/, organic_social, weibo.com",
    "https://mp.weixin.qq.com/s/x, organic_social, mp.weixin.qq.com",
    "https://www.threads.net/, organic_social, threads.net",
    "https://www.tumblr.com/, organic_social, tumblr.com",
    "https://discord.com/channels/1, organic_social, discord.com",
    "https://t.me/channel, organic_social, t.me",
    "https://wa.me/123, organic_social, wa.me",
    "https://www.quora.com/q, organic_social, quora.com",
    "https://mail.google.com/mail/u/0/, email, mail.google.com",
    "https://outlook.live.com/mail/0/, email, outlook.live.com",
    "https://mail.yahoo.com/d/folders/1, email, mail.yahoo.com",
    "https://blog.example.org/post, referral, blog.example.org",
    "http://192.168.0.1:8080/x, referral, 192.168.0.1",
    "android-app://com.google.android.gm/, email, com.google.android.gm",
    "android-app://com.google.android.googlequicksearchbox/, organic_search,"
        + " com.google.android.googlequicksearchbox",
    "android-app://com.google.android.googlequicksearchbox/https/www.google.com/, organic_search,"
        + " com.google.android.googlequicksearchbox",
    "ANDROID-APP://com.Google.Android.GoogleQuickSearchBox, organic_search,"
        + " com.google.android.googlequicksearchbox",
    "android-app://com.facebook.katana/, organic_social, com.facebook.katana",
    "android-app://com.instagram.android/, organic_social, com.instagram.android",
    "android-app://com.linkedin.android/, organic_social, com.linkedin.android",
    "android-app://com.google.android.apps.messaging/, sms, com.google.android.apps.messaging",
    "android-app://com.example.reader/, referral, com.example.reader",
    "android-app://com.google.android.googlequicksearchbox.evil/, referral,"
        + " com.google.android.googlequicksearchbox.evil",
    "https://com.google.android.googlequicksearchbox/, referral,"
        + " com.google.android.googlequicksearchbox"
  })
  void classifiesTheReferrerHost(String referer, String expected, String host) {
    assertThat(run(referer(referer)))
        .containsOnly(entry("traffic_source", expected), entry("referrer_host", host));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://notgoogle.com/",
        "https://google.evil.com/",
        "https://googleusercontent.com/",
        "https://mybing.com/",
        "https://t.com/",
        "https://t.co.evil.com/",
        "https://facebook.com.evil.net/",
        "https://x.company.com/",
        "https://google.example/",
        "https://bing.com.attacker.net/"
      })
  void doesNotMatchLookalikeHosts(String referer) {
    assertThat(source(referer(referer))).isEqualTo("referral");
  }

  // Same site

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://shop.example.com/cart",
        "https://www.shop.example.com/",
        "https://SHOP.example.com:443/x",
        "http://shop.example.com./"
      })
  void isInternalForASameSiteReferrer_withoutAReferrerHost(String referer) {
    assertThat(run(referer(referer))).containsOnly(entry("traffic_source", "internal"));
  }

  @Test
  void comparesSameSiteIgnoringPortAndWww() {
    Visit.Builder visit =
        Visit.builder("s")
            .header("Host", "www.Shop.Example.com:8443")
            .header("Referer", "https://shop.example.com/");

    assertThat(source(visit)).isEqualTo("internal");
  }

  @Test
  void usesTheFirstForwardedHost() {
    Visit.Builder visit =
        Visit.builder("s")
            .header("Host", "10.0.0.7:8080")
            .header("X-Forwarded-Host", "shop.example.com, proxy.internal")
            .header("Referer", "https://shop.example.com/");

    assertThat(source(visit)).isEqualTo("internal");
  }

  @Test
  void isInternalForAConfiguredSiteHost() {
    TrafficSourceExtractor configured =
        new TrafficSourceExtractor(
            2048, Set.of("shop.example.com", "https://www.Checkout.Example.NET:443", "m.shop.io"));

    for (String referer :
        new String[] {
          "https://checkout.example.net/pay", "https://www.m.shop.io/", "https://shop.example.com/"
        }) {
      Visit visit =
          Visit.builder("s").header("Host", "10.0.0.7").header("Referer", referer).build();
      assertThat(RecordingSink.run(configured, visit))
          .as(referer)
          .containsOnly(entry("traffic_source", "internal"));
    }
    Visit other = Visit.builder("s").header("Referer", "https://blog.example.net/").build();
    assertThat(RecordingSink.run(configured, other)).containsEntry("traffic_source", "referral");
  }

  @Test
  void isInternalEvenForAKnownHost_whenItIsTheSite() {
    Visit.Builder visit =
        Visit.builder("s")
            .header("Host", "www.google.com")
            .header("Referer", "https://google.com/");

    assertThat(source(visit)).isEqualTo("internal");
  }

  @Test
  void campaignParametersBeatASameSiteReferrer() {
    assertThat(source(referer("https://shop.example.com/").query("utm_medium", "email")))
        .isEqualTo("email");
  }

  @Test
  void rejectsBadSiteHosts() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TrafficSourceExtractor(64, Set.of("not a host")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new TrafficSourceExtractor(64, Set.of("")));
    assertThatNullPointerException().isThrownBy(() -> new TrafficSourceExtractor(64, null));
  }

  // Malformed and hostile input

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
        "https://.google.com/",
        "https://google.com:80x/",
        "https://[::1/",
        "https://[zz::1]/",
        "1http://google.com/",
        "https://bücher.de/",
        "https://goo\u0000gle.com/",
        "ht tp://google.com/",
        "https://@/",
        "https://:443/"
      })
  void isDirectForAnUnparseableReferrer(String referer) {
    assertThat(run(referer(referer))).containsOnly(entry("traffic_source", "direct"));
  }

  @Test
  void parsesUserInfoPortsAndIpv6() {
    assertThat(source(referer("https://user:pw@www.bing.com:443/x"))).isEqualTo("organic_search");
    assertThat(source(referer("https://evil.com@www.bing.com/"))).isEqualTo("organic_search");
    assertThat(run(referer("https://[2001:db8::1]:8080/")))
        .containsEntry("traffic_source", "referral")
        .containsEntry("referrer_host", "[2001:db8::1]");
    assertThat(source(referer("https://www.google.com?q=x"))).isEqualTo("organic_search");
    assertThat(source(referer("https://www.google.com#top"))).isEqualTo("organic_search");
    assertThat(source(referer("HTTPS://WWW.GOOGLE.CO.UK/"))).isEqualTo("organic_search");
  }

  @Test
  void handlesHugeHostileInputsInBoundedTime() {
    String huge = "x".repeat(1 << 20);
    String dots = "a.".repeat(1 << 19);
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          Visit.Builder visit =
              Visit.builder("s")
                  .header("Referer", "https://www.google.com/search?q=" + huge)
                  .header("Host", huge)
                  .header("X-Forwarded-Host", huge)
                  .query("utm_source", huge)
                  .query("utm_medium", huge)
                  .query("utm_campaign", huge)
                  .query("gclid", huge)
                  .query(huge, huge);

          assertThat(run(visit))
              .containsEntry("traffic_source", "paid_search")
              .containsEntry("referrer_host", "google.com")
              .containsKey("campaign");
          assertThat(run(referer("https://" + huge + ".com/")))
              .containsOnly(entry("traffic_source", "direct"));
          assertThat(run(referer("https://" + dots + "google.com/")))
              .containsOnly(entry("traffic_source", "direct"));
          assertThat(source(Visit.builder("s").query("utm_source", dots + "t.co")))
              .isEqualTo("direct");
          assertThat(source(Visit.builder("s").query("utm_medium", "cp".repeat(1 << 19))))
              .isEqualTo("display");
        });
  }

  @Test
  void aLongButValidReferrerHostIsMatchedByItsLastLabels() {
    String host = "a.".repeat(100) + "l.facebook.com";

    assertThat(run(referer("https://" + host + "/")))
        .containsOnly(entry("traffic_source", "organic_social"), entry("referrer_host", host));
  }

  @Test
  void handlesManyQueryParameters() {
    Visit.Builder visit = Visit.builder("s");
    for (int i = 0; i < 10_000; i++) {
      visit.query("p" + i, "v");
    }
    visit.query("ttclid", "x");

    assertThat(source(visit)).isEqualTo("paid_social");
  }

  // Campaign

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

  // Contract

  @Test
  void emitsNothingForANullVisit() {
    assertThat(RecordingSink.run(extractor, null)).isEmpty();
  }

  @Test
  void rejectsNonPositiveMaxHeaderLength() {
    assertThatIllegalArgumentException().isThrownBy(() -> new TrafficSourceExtractor(-1));
    assertThatIllegalArgumentException().isThrownBy(() -> new TrafficSourceExtractor(0, Set.of()));
  }

  @Test
  void declaresThreeContextualTexts() {
    assertThat(extractor.name()).isEqualTo("traffic_source");
    assertThat(extractor.signals())
        .extracting(SignalSpec::key)
        .containsExactly("traffic_source", "referrer_host", "campaign");
    assertThat(extractor.signals()).allMatch(s -> s.kind() == SignalKind.CONTEXTUAL);
  }
}
