package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code requireConsent(true)} with profiles (issue 20): a signed-in shopper's consent is the
 * user's, kept in the profile, so that a grant or a denial made in one session holds in the user's
 * next session on any device; the most private of the two wins, an anonymous session is not
 * affected, and {@code Sec-GPC} still limits every request.
 */
final class ProfileConsentTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(
              TestRules.builder()
                  .placement(
                      Placement.of(
                          "home.continue",
                          Variant.builder("your-cart").when(Condition.exists("open_cart")).build(),
                          Variant.builder("bestsellers").asDefault().build()))
                  .build())
          .requireConsent(true)
          .clock(clock)
          .build();

  @Test
  void aGrantInOneSession_holdsInTheUsersNextSession_onANewDevice() {
    engine.decide(
        signedIn("phone", "u1")
            .declared("consent", "granted")
            .declared("priority", "price")
            .event(view("sku-1"))
            .event(add("sku-1"))
            .build());
    clock.advance(Duration.ofDays(2));

    Decision laptop = engine.decide(signedIn("laptop", "u1").event(view("sku-2")).build());

    assertThat(laptop.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(laptop.reasons()).noneMatch(r -> r.kind() == Reason.Kind.CONSENT);
    assertThat(laptop.signal("consent").value()).isEqualTo("granted");
    assertThat(laptop.signal("priority").value()).isEqualTo("price"); // explicit, from the profile
    assertThat(laptop.signal("product_views")).isNotNull(); // implicit, from this session
    assertThat(set(laptop, "recently_viewed")).containsExactly("sku-2", "sku-1");
    assertThat(laptop.variant("home.continue").variant()).isEqualTo("your-cart");

    // the session keeps no grant of its own: its next request finds the profile's again
    Decision next = engine.decide(signedIn("laptop", "u1").event(view("sku-3")).build());
    assertThat(next.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(((Number) next.signal("product_views").value()).doubleValue()).isGreaterThan(1.5);
  }

  @Test
  void aDenialInTheProfile_holdsInANewSession_andMakesItADenial() {
    engine.decide(signedIn("phone", "u1").declared("consent", "granted").event(view("a")).build());
    clock.advance(Duration.ofMinutes(5));
    engine.decide(signedIn("phone", "u1").declared("consent", "denied").build());
    clock.advance(Duration.ofMinutes(5));

    Decision laptop = engine.decide(signedIn("laptop", "u1").event(view("b")).build());

    assertThat(laptop.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(laptop.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(laptop.reasons())
        .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("signed-in shopper"));
    assertThat(engine.inspect("laptop").consent()).isEqualTo("denied");
    assertThat(engine.inspectUser("u1").consent()).isEqualTo("denied");

    // a session that granted before signing in: the most private of the two holds
    engine.decide(Visit.builder("tablet").declared("consent", "granted").build());
    Decision tablet = engine.decide(signedIn("tablet", "u1").event(view("c")).build());
    assertThat(tablet.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(tablet.signals(SignalKind.IMPLICIT)).isEmpty();

    // until the shopper grants again
    clock.advance(Duration.ofMinutes(5));
    Decision granted =
        engine.decide(signedIn("laptop", "u1").declared("consent", "granted").build());
    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    clock.advance(Duration.ofMinutes(5));
    assertThat(engine.decide(signedIn("desktop", "u1").build()).consent())
        .isEqualTo(ConsentMode.FULL);
  }

  @Test
  void aSessionThatDenied_signingIn_takesItsDenialToTheProfile() {
    engine.decide(signedIn("phone", "u1").declared("consent", "granted").event(view("a")).build());
    engine.decide(Visit.builder("kiosk").declared("consent", "denied").build());

    Decision kiosk = engine.decide(signedIn("kiosk", "u1").event(view("b")).build());
    assertThat(kiosk.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(kiosk.reasons())
        .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("denied earlier"));

    Decision laptop = engine.decide(signedIn("laptop", "u1").build());
    assertThat(laptop.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(laptop.signal("recently_viewed")).isNull();
  }

  @Test
  void anAnonymousSession_isNotGrantedByAnyProfile() {
    engine.decide(signedIn("phone", "u1").declared("consent", "granted").event(view("a")).build());

    Decision anonymous = engine.decide(Visit.builder("laptop").event(view("b")).build());
    assertThat(anonymous.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(anonymous.reasons())
        .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("not granted"));

    // a session granted through the profile only is not granted once signed out: the grant was
    // the user's, not the browser's
    assertThat(engine.decide(signedIn("tablet", "u1").build()).consent())
        .isEqualTo(ConsentMode.FULL);
    Decision signedOut = engine.decide(Visit.builder("tablet").event(view("c")).build());
    assertThat(signedOut.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(signedOut.signals(SignalKind.IMPLICIT)).isEmpty();
  }

  @Test
  void secGpc_stillWins_overTheProfilesGrant_andWritesNothingToIt() {
    engine.decide(signedIn("phone", "u1").declared("consent", "granted").event(view("a")).build());

    Decision gpc =
        engine.decide(signedIn("laptop", "u1").header("Sec-GPC", "1").event(view("b")).build());

    assertThat(gpc.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(gpc.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(gpc.reasons())
        .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("Sec-GPC"));
    assertThat(engine.inspectUser("u1").recentlyViewed()).containsExactly("a");
    assertThat(engine.inspectUser("u1").requests()).isEqualTo(1);
  }

  private static Visit.Builder signedIn(String session, String user) {
    return Visit.builder(session).userId(user);
  }

  private static Event view(String product) {
    return Event.of("product_view", Map.of("product", product));
  }

  private static Event add(String product) {
    return Event.of("add_to_cart", Map.of("product", product));
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(Decision d, String key) {
    Signal s = d.signal(key);
    assertThat(s).as(key).isNotNull();
    return (Set<String>) s.value();
  }
}
