package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.INSTAGRAM_IPHONE;
import static dev.persona.rules.scenario.Scenarios.IPHONE_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.pageView;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.SignalKind;
import dev.persona.testing.MutableClock;
import org.junit.jupiter.api.Test;

final class SocialButterflyScenarioTest {
  private final MutableClock clock = new MutableClock(Scenarios.START);
  private final PersonaEngine engine = Scenarios.engine(clock);

  @Test
  void instagramInfluencerClick_onThePhone_isASocialButterflyMoreThanAMobileShopper() {
    Session s = new Session(engine, clock, "sb-instagram", INSTAGRAM_IPHONE);

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://l.instagram.com/")
                    .query("utm_source", "instagram")
                    .query("utm_medium", "social")
                    .query("utm_campaign", "spring-influencer-drop")
                    .event(productView("sunglasses", "Solar")));

    assertThat(text(d, "device")).isEqualTo("mobile");
    assertThat(text(d, "traffic_source")).isEqualTo("organic_social");
    assertThat(text(d, "campaign")).isEqualTo("spring-influencer-drop");
    assertThat(firedRules(d)).contains("sb-social-referral", "sb-influencer-campaign");
    assertThat(d.score("social_butterfly")).isCloseTo(0.6, within(1e-9));
    assertThat(d.score("mobile_shopper")).isCloseTo(0.55, within(1e-9));
    assertThat(d.persona()).isEqualTo("social_butterfly");

    assertThat(choice(d, "home.hero").variant()).isEqualTo("share-and-earn");
    assertThat(content(d, "home.hero"))
        .containsEntry("shareable", true)
        .containsEntry("referral_reward", 10);
    assertThat(choice(d, "product.badge").variant()).isEqualTo("trending-social");
  }

  @Test
  void facebookVisitorWhoShares_isASocialButterflyFromTheFirstShare_onTheInSitePagesAfter() {
    Session s = new Session(engine, clock, "sb-sharer", WINDOWS_CHROME);

    Decision landed =
        s.land(
            v ->
                v.header("Referer", "https://m.facebook.com/")
                    .event(productView("mugs", "Clayworks")));
    Decision shared = s.afterMinutes(3).request(v -> v.event(event("share")));
    Decision d =
        s.afterMinutes(2)
            .request(v -> v.event(productView("mugs", "Clayworks")).event(event("share")));

    assertThat(landed.persona()).isNull(); // arriving from social alone is not enough

    assertThat(text(shared, "traffic_source")).isEqualTo("internal");
    assertThat(text(shared, "entry_source")).isEqualTo("organic_social");
    assertThat(firedRules(shared)).containsExactly("sb-social-referral", "sb-shares");
    assertThat(shared.persona()).isEqualTo("social_butterfly");

    assertThat(text(d, "traffic_source")).isEqualTo("internal");
    assertThat(number(d, "shares")).isBetween(1.9, 2.0);
    assertThat(firedRules(d)).containsExactly("sb-social-referral", "sb-shares");
    assertThat(d.persona()).isEqualTo("social_butterfly");
    assertThat(choice(d, "cart.message").variant()).isEqualTo("share-cart");
    assertThat(choice(d, "email.subject").variant()).isEqualTo("give-get");
  }

  @Test
  void referAFriendLink_plusAShare_isASocialButterfly() {
    Session s = new Session(engine, clock, "sb-referral", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.query("utm_source", "friend")
                    .query("utm_campaign", "refer-a-friend")
                    .event(event("share")));

    assertThat(firedRules(d)).containsExactlyInAnyOrder("sb-friend-referral", "sb-shares");
    assertThat(d.persona()).isEqualTo("social_butterfly");
  }

  @Test
  void nearMiss_arrivingFromSocialWithoutSharing_isNotASocialButterfly() {
    Session s = new Session(engine, clock, "sb-passer-by", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://www.pinterest.com/")
                    .event(productView("vases", "Clayworks"))
                    .event(productView("vases", "Potter")));

    assertThat(text(d, "traffic_source")).isEqualTo("organic_social");
    assertThat(d.score("social_butterfly")).isCloseTo(0.3, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  @Test
  void nearMiss_aFacebookClickOnAPhone_isAMobileShopperFirst() {
    Session s = new Session(engine, clock, "sb-phone", IPHONE_SAFARI);

    Decision d =
        s.land(
            v ->
                v.header("Referer", "https://l.facebook.com/")
                    .event(productView("vases", "Potter")));

    assertThat(d.score("social_butterfly")).isCloseTo(0.3, within(1e-9));
    assertThat(d.persona()).isEqualTo("mobile_shopper");
  }

  @Test
  void nearMiss_aPaidTikTokAdClick_countsAsSocialButNotYetAButterfly() {
    Session s = new Session(engine, clock, "sb-tiktok-ad", WINDOWS_CHROME);

    Decision d =
        s.land(
            v ->
                v.query("ttclid", "E.C.P.abc")
                    .query("utm_source", "TikTok")
                    .query("utm_medium", "Paid_Social")
                    .event(productView("vases", "Potter")));

    assertThat(text(d, "traffic_source")).isEqualTo("paid_social");
    assertThat(firedRules(d)).contains("sb-social-referral");
    assertThat(d.score("social_butterfly")).isCloseTo(0.3, within(1e-9));
    assertThat(d.persona()).isNull();
  }

  // Multi-page journeys: the session's entry (entry_source, entry_campaign, entry_referrer_host)
  // keeps how the shopper arrived once the pages they browse on say `internal`.

  @Test
  void instagramInfluencerLanding_thenFivePagesInSite_isASocialButterflyOnEveryPage() {
    Session s = new Session(engine, clock, "sb-journey-phone", INSTAGRAM_IPHONE);

    Decision landing =
        s.land(
            v ->
                v.header("Referer", "https://l.instagram.com/")
                    .query("utm_source", "instagram")
                    .query("utm_medium", "social")
                    .query("utm_campaign", "spring-influencer-drop")
                    .event(productView("sunglasses", "Solar")));
    assertThat(landing.persona()).isEqualTo("social_butterfly");

    String[][] pages = {
      {"sunglasses", "Solar"},
      {"hats", "Brim"},
      {"bags", "Canvas Co"},
      {"scarves", "Loom"},
      {"sandals", "Strand"}
    };
    for (String[] page : pages) {
      Decision d = s.afterMinutes(4).request(v -> v.event(productView(page[0], page[1])));

      assertThat(text(d, "traffic_source")).isEqualTo("internal");
      assertThat(d.signal("campaign")).isNull();
      assertThat(text(d, "entry_source")).isEqualTo("organic_social");
      assertThat(text(d, "entry_campaign")).isEqualTo("spring-influencer-drop");
      assertThat(text(d, "entry_referrer_host")).isEqualTo("l.instagram.com");
      assertThat(d.signal("entry_source").kind()).isEqualTo(SignalKind.IMPLICIT);
      assertThat(firedRules(d)).contains("sb-social-referral", "sb-influencer-campaign");
      assertThat(d.score("social_butterfly")).isCloseTo(0.6, within(1e-9));
      assertThat(d.persona()).isEqualTo("social_butterfly");
      assertThat(choice(d, "home.hero").variant()).isEqualTo("share-and-earn");
    }
  }

  @Test
  void influencerCampaignLinkWithoutReferrer_onADesktop_staysASocialButterflyInSite() {
    Session s = new Session(engine, clock, "sb-journey-desktop", WINDOWS_CHROME);

    s.land(
        v ->
            v.query("utm_source", "instagram")
                .query("utm_medium", "social")
                .query("utm_campaign", "creator-collab-autumn")
                .event(productView("mugs", "Clayworks")));
    for (int page = 0; page < 4; page++) {
      Decision d =
          s.afterMinutes(3).request(v -> v.event(pageView("/collections/new")).event(event("x")));

      assertThat(text(d, "traffic_source")).isEqualTo("internal");
      assertThat(text(d, "entry_source")).isEqualTo("organic_social");
      assertThat(text(d, "entry_campaign")).isEqualTo("creator-collab-autumn");
      assertThat(d.signal("entry_referrer_host")).isNull();
      assertThat(d.persona()).isEqualTo("social_butterfly");
    }
  }

  @Test
  void aNewCampaignLandingMidSession_replacesTheEntry() {
    Session s = new Session(engine, clock, "sb-journey-newsletter", WINDOWS_CHROME);
    s.land(
        v ->
            v.header("Referer", "https://l.instagram.com/")
                .query("utm_source", "instagram")
                .query("utm_medium", "social")
                .query("utm_campaign", "spring-influencer-drop")
                .event(productView("vases", "Potter")));
    Decision before = s.afterMinutes(2).request(v -> v.event(productView("vases", "Potter")));
    assertThat(before.persona()).isEqualTo("social_butterfly");

    s.afterMinutes(5)
        .land(
            v ->
                v.query("utm_source", "newsletter")
                    .query("utm_medium", "email")
                    .query("utm_campaign", "winter-sale")
                    .event(productView("vases", "Potter")));
    for (int page = 0; page < 4; page++) {
      Decision d = s.afterMinutes(2).request(v -> v.event(productView("bowls", "Clayworks")));

      assertThat(text(d, "entry_source")).isEqualTo("email");
      assertThat(text(d, "entry_campaign")).isEqualTo("winter-sale");
      assertThat(d.signal("entry_referrer_host")).isNull();
      assertThat(d.score("social_butterfly")).isZero();
      assertThat(d.persona()).isNotEqualTo("social_butterfly");
    }
  }

  @Test
  void anInfluencerCampaignLandingAfterASearchEntry_makesTheRestOfTheSessionSocial() {
    Session s = new Session(engine, clock, "sb-journey-search-first", WINDOWS_CHROME);
    Decision first =
        s.land(
            v ->
                v.header("Referer", "https://www.google.com/").event(productView("lamps", "Glow")));
    assertThat(text(first, "entry_source")).isEqualTo("organic_search");

    s.afterMinutes(10)
        .land(
            v ->
                v.header("Referer", "https://www.tiktok.com/")
                    .query("utm_campaign", "ugc-lamp-week")
                    .event(productView("lamps", "Glow")));
    Decision d = s.afterMinutes(2).request(v -> v.event(productView("lamps", "Glow")));

    assertThat(text(d, "entry_source")).isEqualTo("organic_social");
    assertThat(text(d, "entry_campaign")).isEqualTo("ugc-lamp-week");
    assertThat(text(d, "entry_referrer_host")).isEqualTo("tiktok.com");
    assertThat(d.persona()).isEqualTo("social_butterfly");
  }

  @Test
  void aLaterSocialLinkWithoutACampaign_doesNotReplaceASearchEntry() {
    Session s = new Session(engine, clock, "sb-journey-search-kept", WINDOWS_CHROME);
    s.land(v -> v.header("Referer", "https://www.google.com/").event(productView("rugs", "Weft")));
    Decision social =
        s.afterMinutes(3)
            .land(
                v ->
                    v.header("Referer", "https://www.pinterest.com/")
                        .event(productView("rugs", "Weft")));
    Decision d = s.afterMinutes(2).request(v -> v.event(productView("rugs", "Weft")));

    assertThat(text(social, "traffic_source")).isEqualTo("organic_social");
    assertThat(text(social, "entry_source")).isEqualTo("organic_search");
    assertThat(text(d, "entry_source")).isEqualTo("organic_search");
    assertThat(text(d, "entry_referrer_host")).isEqualTo("google.com");
    assertThat(d.score("social_butterfly")).isZero();
  }

  @Test
  void aSessionOfInSitePagesOnly_hasNoEntry() {
    Session s = new Session(engine, clock, "sb-journey-in-site", WINDOWS_CHROME);

    for (int page = 0; page < 5; page++) {
      Decision d =
          s.afterMinutes(2)
              .request(
                  v -> v.query("utm_campaign", "home-banner").event(productView("mugs", "Potter")));

      assertThat(text(d, "traffic_source")).isEqualTo("internal");
      assertThat(d.signal("entry_source")).isNull();
      assertThat(d.signal("entry_campaign")).isNull();
      assertThat(d.signal("entry_referrer_host")).isNull();
      assertThat(d.score("social_butterfly")).isZero();
    }
  }

  @Test
  void underSecGpc_theEntryIsNotStored_soOnlyTheLandingPageIsSocial() {
    Session s = new Session(engine, clock, "sb-journey-gpc", WINDOWS_CHROME).header("Sec-GPC", "1");

    Decision landing =
        s.land(
            v ->
                v.header("Referer", "https://l.instagram.com/")
                    .query("utm_campaign", "spring-influencer-drop")
                    .event(productView("vases", "Potter")));
    Decision next = s.afterMinutes(2).request(v -> v.event(productView("vases", "Potter")));

    assertThat(landing.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(landing.signal("entry_source")).isNull();
    assertThat(landing.persona()).isEqualTo("social_butterfly"); // from the request's own signals
    assertThat(next.signal("entry_source")).isNull();
    assertThat(next.score("social_butterfly")).isZero();
  }

  @Test
  void aDenialOfConsent_dropsTheEntry_andGrantingAgainDoesNotBringItBack() {
    Session s = new Session(engine, clock, "sb-journey-denied", WINDOWS_CHROME);
    s.land(
        v ->
            v.header("Referer", "https://l.instagram.com/")
                .query("utm_campaign", "spring-influencer-drop")
                .event(productView("vases", "Potter")));

    Decision denied = s.afterMinutes(2).request(v -> v.declared("consent", "denied"));
    Decision granted = s.afterMinutes(2).request(v -> v.declared("consent", "granted"));
    Decision d = s.afterMinutes(2).request(v -> v.event(productView("vases", "Potter")));

    assertThat(denied.signal("entry_source")).isNull();
    assertThat(granted.signal("entry_source")).isNull();
    assertThat(d.signal("entry_source")).isNull();
    assertThat(d.score("social_butterfly")).isZero();
  }
}
