package dev.persona.rules.scenario;

import static dev.persona.rules.scenario.Scenarios.INSTAGRAM_IPHONE;
import static dev.persona.rules.scenario.Scenarios.IPHONE_SAFARI;
import static dev.persona.rules.scenario.Scenarios.WINDOWS_CHROME;
import static dev.persona.rules.scenario.Scenarios.choice;
import static dev.persona.rules.scenario.Scenarios.content;
import static dev.persona.rules.scenario.Scenarios.event;
import static dev.persona.rules.scenario.Scenarios.firedRules;
import static dev.persona.rules.scenario.Scenarios.number;
import static dev.persona.rules.scenario.Scenarios.productView;
import static dev.persona.rules.scenario.Scenarios.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
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
  void facebookVisitorWhoSharesTwice_isASocialButterfly_evenAfterTheLandingPage() {
    Session s = new Session(engine, clock, "sb-sharer", WINDOWS_CHROME);

    s.land(
        v ->
            v.header("Referer", "https://m.facebook.com/").event(productView("mugs", "Clayworks")));
    Decision shared = s.afterMinutes(3).request(v -> v.event(event("share")));
    Decision d =
        s.afterMinutes(2)
            .request(v -> v.event(productView("mugs", "Clayworks")).event(event("share")));

    assertThat(text(shared, "traffic_source")).isEqualTo("internal");
    assertThat(shared.persona()).isNull();

    assertThat(text(d, "traffic_source")).isEqualTo("internal");
    assertThat(number(d, "shares")).isBetween(1.9, 2.0);
    assertThat(firedRules(d)).containsExactly("sb-shares");
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
}
