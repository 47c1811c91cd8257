package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.ProfileConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionStore;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * A signed-in shopper's profile (issue 20): it outlasts sessions, takes in the anonymous session
 * that signs in, is the same from every device, stays out of the session after a sign-out, and
 * follows consent and erasure.
 */
final class ProfileTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine = engine(null);

  private PersonaEngine engine(@Nullable ProfileConfig profiles) {
    PersonaEngine.Builder b =
        PersonaEngine.builder()
            .ruleSet(
                TestRules.builder()
                    .placement(
                        Placement.of(
                            "home.continue",
                            Variant.builder("welcome-back")
                                .when(
                                    Condition.all(
                                        Condition.gte("previous_visits", 1),
                                        Condition.exists("open_cart"),
                                        Condition.eq("profile_top_category", "shoes"),
                                        Condition.gte("days_since_last_visit", 1)))
                                .build(),
                            Variant.builder("bestsellers").asDefault().build()))
                    .build());
    if (profiles != null) {
      b.profiles(profiles);
    }
    return b.clock(clock).build();
  }

  @Test
  void aNewSessionOfAKnownUser_startsFromTheProfile() {
    engine.decide(
        signedIn("phone-1", "u1")
            .event(view("sku-1", "shoes", "acme"))
            .event(view("sku-2", "shoes", "acme"))
            .event(add("sku-2"))
            .build());
    clock.advance(Duration.ofDays(2));

    Decision d = engine.decide(signedIn("laptop-1", "u1").build());

    assertThat(set(d, "recently_viewed")).containsExactly("sku-2", "sku-1");
    assertThat(set(d, "open_cart")).containsExactly("sku-2");
    assertThat(number(d, "cart_items")).isEqualTo(1);
    assertThat(number(d, "previous_visits")).isEqualTo(1);
    assertThat(number(d, "days_since_last_visit")).isEqualTo(2.0);
    assertThat(d.signal("profile_top_category").value()).isEqualTo("shoes");
    assertThat(d.signal("profile_top_brand").value()).isEqualTo("acme");
    assertThat(d.signal("previous_visits").kind()).isEqualTo(SignalKind.IMPLICIT);
    assertThat(d.signal("previous_visits").source()).isEqualTo("profile");
    // rules see them too
    assertThat(d.variant("home.continue").variant()).isEqualTo("welcome-back");
    // the session's own behaviour is still the session's: nothing viewed in it yet
    assertThat(d.signal("product_views")).isNull();
    assertThat(number(d, "requests")).isEqualTo(1);

    Decision anonymous = engine.decide(Visit.builder("laptop-2").build());
    assertThat(anonymous.variant("home.continue").variant()).isEqualTo("bestsellers");
    assertThat(anonymous.signal("recently_viewed")).isNull();
    assertThat(anonymous.signal("previous_visits")).isNull();
  }

  @Test
  void aFirstSignedInVisit_hasNoPreviousVisits_andFactsTheCallerGivesWin() {
    Decision first = engine.decide(signedIn("s1", "u1").build());
    assertThat(number(first, "previous_visits")).isZero();
    assertThat(first.signal("days_since_last_visit")).isNull();

    Decision given = engine.decide(signedIn("s2", "u1").profile("previous_visits", 40).build());
    assertThat(number(given, "previous_visits")).isEqualTo(40);
  }

  @Test
  void signingIn_mergesTheAnonymousSessionIntoTheProfile() {
    engine.decide(
        signedIn("old", "u1")
            .event(view("sku-x", "bags", null))
            .event(add("sku-y"))
            .declared("priority", "quality")
            .declared("shopping_for_gift", false)
            .build());
    clock.advance(Duration.ofDays(1));
    engine.decide(
        Visit.builder("new")
            .event(view("sku-a", "shoes", null))
            .event(view("sku-b", "shoes", null))
            .event(add("sku-a"))
            .declared("priority", "price")
            .build());
    clock.advance(Duration.ofMinutes(1));

    Decision d = engine.decide(signedIn("new", "u1").build());

    // sets merge newest first: the session signing in is newer than the profile
    assertThat(set(d, "recently_viewed")).containsExactly("sku-b", "sku-a", "sku-x");
    assertThat(set(d, "open_cart")).containsExactly("sku-a", "sku-y");
    assertThat(number(d, "cart_items")).isEqualTo(2); // counts add
    assertThat(d.signal("priority").value()).isEqualTo("price"); // declared: newest wins
    assertThat(d.signal("shopping_for_gift").value()).isEqualTo(false);
    assertThat(number(d, "previous_visits")).isEqualTo(1);
    // the anonymous part counts once: a later visit of the signed-in session adds only itself
    Decision next = engine.decide(signedIn("new", "u1").build());
    assertThat(number(next, "cart_items")).isEqualTo(2);
    assertThat(number(next, "previous_visits")).isEqualTo(1);
    assertThat(number(next, "requests")).isEqualTo(3);
  }

  @Test
  void twoDevices_converge() {
    engine.decide(signedIn("phone", "u1").event(view("p1", "shoes", "acme")).build());
    clock.advance(Duration.ofMinutes(1));
    engine.decide(
        signedIn("laptop", "u1")
            .event(view("p2", "bags", "zeta"))
            .event(add("p2"))
            .declared("priority", "price")
            .build());
    clock.advance(Duration.ofMinutes(1));
    engine.decide(
        signedIn("phone", "u1").event(add("p1")).event(view("p3", "bags", "zeta")).build());
    clock.advance(Duration.ofMinutes(1));

    Decision phone = engine.decide(signedIn("phone", "u1").build());
    Decision laptop = engine.decide(signedIn("laptop", "u1").build());

    for (String key :
        new String[] {
          "recently_viewed", "open_cart", "cart_items", "priority", "profile_top_category"
        }) {
      assertThat(phone.signal(key)).as(key).isNotNull();
      assertThat(phone.signal(key).value()).as(key).isEqualTo(laptop.signal(key).value());
    }
    assertThat(set(phone, "recently_viewed")).containsExactly("p3", "p2", "p1");
    assertThat(set(phone, "open_cart")).containsExactly("p1", "p2");
    assertThat(number(phone, "cart_items")).isEqualTo(2);
    assertThat(phone.signal("profile_top_category").value()).isEqualTo("bags");
    assertThat(number(phone, "previous_visits")).isEqualTo(1);
    assertThat(number(laptop, "previous_visits")).isEqualTo(1);
  }

  @Test
  void signingOut_startsTheSessionAnew_withoutTheProfile() {
    engine.decide(
        signedIn("shared-pc", "u1")
            .event(view("sku-1", "shoes", null))
            .event(add("sku-1"))
            .declared("priority", "price")
            .build());

    Decision out =
        engine.decide(Visit.builder("shared-pc").event(view("sku-9", "toys", null)).build());

    assertThat(set(out, "recently_viewed")).containsExactly("sku-9");
    assertThat(out.signal("open_cart")).isNull();
    assertThat(out.signal("cart_items")).isNull();
    assertThat(out.signal("priority")).isNull();
    assertThat(out.signal("previous_visits")).isNull();
    assertThat(number(out, "requests")).isEqualTo(1);

    // another user signing in on the same session does not take in the first user's behaviour
    Decision other = engine.decide(signedIn("shared-pc", "u2").build());
    assertThat(set(other, "recently_viewed")).containsExactly("sku-9");
    Decision first = engine.decide(signedIn("elsewhere", "u1").build());
    assertThat(set(first, "recently_viewed")).containsExactly("sku-1");
  }

  @Test
  void underSecGpc_nothingIsWrittenToTheProfile_norUsed() {
    engine.decide(signedIn("s1", "u1").event(view("sku-1", null, null)).build());

    Decision gpc =
        engine.decide(
            signedIn("s2", "u1").header("Sec-GPC", "1").event(view("sku-2", null, null)).build());
    assertThat(gpc.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(gpc.signal("recently_viewed")).isNull();

    Decision later = engine.decide(signedIn("s3", "u1").build());
    assertThat(set(later, "recently_viewed")).containsExactly("sku-1");
  }

  @Test
  void aDenial_dropsTheProfile_andHoldsOnEveryDevice_untilConsentIsGrantedAgain() {
    engine.decide(signedIn("phone", "u1").event(view("sku-1", null, null)).build());
    engine.decide(signedIn("laptop", "u1").event(view("sku-2", null, null)).build());

    Decision denied = engine.decide(signedIn("phone", "u1").declared("consent", "denied").build());
    assertThat(denied.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);

    // the laptop's session consented, but the signed-in shopper denied: the most private holds
    Decision laptop =
        engine.decide(signedIn("laptop", "u1").event(view("sku-3", null, null)).build());
    assertThat(laptop.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(laptop.signal("recently_viewed")).isNull();
    Decision elsewhere = engine.decide(signedIn("tablet", "u1").build());
    assertThat(elsewhere.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);

    clock.advance(Duration.ofSeconds(1));
    Decision granted =
        engine.decide(
            signedIn("laptop", "u1")
                .declared("consent", "granted")
                .event(view("sku-4", null, null))
                .build());
    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(set(granted, "recently_viewed")).containsExactly("sku-4");
  }

  @Test
  void aDeniedSession_signingIn_writesOnlyItsDenialToTheProfile() {
    engine.decide(signedIn("s1", "u1").event(view("sku-1", null, null)).build());
    engine.decide(Visit.builder("s2").declared("consent", "denied").build());

    Decision d = engine.decide(signedIn("s2", "u1").event(view("sku-2", null, null)).build());
    assertThat(d.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);

    // consent merges as the most private of the two: the user's other sessions are limited too
    Decision other = engine.decide(signedIn("s1", "u1").build());
    assertThat(other.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(other.signal("recently_viewed")).isNull();
  }

  @Test
  void forgetUser_erasesTheProfile_andTheSessions() {
    engine.decide(
        signedIn("s1", "u1").event(view("sku-1", null, null)).event(add("sku-1")).build());
    engine.decide(signedIn("s2", "u1").event(view("sku-2", null, null)).build());

    assertThat(engine.forgetUser("u1")).isEqualTo(2);

    assertThat(engine.inspect("s1")).isNull();
    Decision d = engine.decide(signedIn("s3", "u1").build());
    assertThat(d.signal("recently_viewed")).isNull();
    assertThat(d.signal("open_cart")).isNull();
    assertThat(number(d, "previous_visits")).isZero();
  }

  @Test
  void aProfileLastsItsTimeToLive_fromTheLatestVisit() {
    PersonaEngine short_ =
        engine(ProfileConfig.inMemory(10).timeToLive(Duration.ofDays(10)).build());
    short_.decide(signedIn("s1", "u1").event(view("sku-1", null, null)).build());
    clock.advance(Duration.ofDays(9));
    assertThat(set(short_.decide(signedIn("s2", "u1").build()), "recently_viewed"))
        .containsExactly("sku-1");
    clock.advance(Duration.ofDays(9)); // 9 days after the latest visit: kept
    assertThat(short_.decide(signedIn("s3", "u1").build()).signal("recently_viewed")).isNotNull();
    clock.advance(Duration.ofDays(11));
    Decision expired = short_.decide(signedIn("s4", "u1").build());
    assertThat(expired.signal("recently_viewed")).isNull();
    assertThat(number(expired, "previous_visits")).isZero();
  }

  @Test
  void longTermAffinities_decayWithTheProfilesHalfLife() {
    PersonaEngine e = engine(ProfileConfig.inMemory(10).halfLife(Duration.ofDays(7)).build());
    for (int i = 0; i < 4; i++) {
      e.decide(signedIn("old", "u1").event(view("a" + i, "shoes", null)).build());
    }
    clock.advance(Duration.ofDays(21)); // shoes now weigh 4 / 8 = 0.5
    e.decide(signedIn("new", "u1").event(view("b", "bags", null)).build());
    assertThat(e.decide(signedIn("new", "u1").build()).signal("profile_top_category").value())
        .isEqualTo("bags");
  }

  @Test
  void withProfilesOff_aSignedInSessionStandsAlone() {
    PersonaEngine off = engine(ProfileConfig.off());
    off.decide(signedIn("s1", "u1").event(view("sku-1", null, null)).build());
    Decision d = off.decide(signedIn("s2", "u1").build());
    assertThat(d.signal("recently_viewed")).isNull();
    assertThat(d.signal("previous_visits")).isNull();
    // and a visit without the user id does not sign the session out
    Decision same = off.decide(Visit.builder("s1").build());
    assertThat(set(same, "recently_viewed")).containsExactly("sku-1");
  }

  @Test
  void aStoreOfYourOwn_keepsNoProfileByDefault_andMayNotBeTheProfileStoreToo() {
    SessionStore store = SessionStore.inMemory(100, Duration.ofMinutes(30));
    PersonaEngine shared =
        PersonaEngine.builder()
            .ruleSet(TestRules.builder().build())
            .sessions(SessionConfig.store(store).build())
            .clock(clock)
            .build();
    shared.decide(signedIn("s1", "u1").event(view("sku-1", null, null)).build());
    assertThat(shared.decide(signedIn("s2", "u1").build()).signal("recently_viewed")).isNull();

    assertThatThrownBy(
            () ->
                PersonaEngine.builder()
                    .ruleSet(TestRules.builder().build())
                    .sessions(SessionConfig.store(store).build())
                    .profiles(ProfileConfig.store(store).build())
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("profile store");
  }

  private static Visit.Builder signedIn(String session, String user) {
    return Visit.builder(session).userId(user);
  }

  private static Event view(String product, @Nullable String category, @Nullable String brand) {
    Event.Builder b = Event.builder("product_view").attribute("product", product);
    if (category != null) {
      b.attribute("category", category);
    }
    if (brand != null) {
      b.attribute("brand", brand);
    }
    return b.build();
  }

  private static Event add(String product) {
    return Event.of("add_to_cart", Map.of("product", product));
  }

  private static double number(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    return ((Number) s.value()).doubleValue();
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    return (Set<String>) s.value();
  }
}
