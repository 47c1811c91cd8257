package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ConsentTest {
  private final PersonaEngine engine =
      PersonaEngine.builder()
          .ruleSet(TestRules.ruleSet())
          .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
          .build();

  @Test
  void gpc_usesNoImplicitSignalsButKeepsContextualOnes() {
    Visit visit =
        Visit.builder("s1")
            .header("Sec-GPC", "1")
            .header("User-Agent", SignalKindsTest.iphone())
            .profile("orders", 5)
            .event(Event.of("apply_coupon"))
            .build();

    Decision d = engine.decide(visit);

    assertThat(d.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(d.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(d.signal("device").value()).isEqualTo("mobile");
    assertThat(d.persona()).isEqualTo("mobile_shopper");
    assertThat(d.score("value_hunter")).isZero();
    assertThat(d.reasons())
        .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("Sec-GPC"));
  }

  @Test
  void gpc_dropsWhatWasStoredForTheSession() {
    engine.decide(
        Visit.builder("s2").event(Event.of("apply_coupon")).declared("priority", "price").build());
    engine.decide(Visit.builder("s2").header("Sec-GPC", "1").build());

    Decision after = engine.decide(Visit.builder("s2").build());

    assertThat(after.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(after.signal("coupons_applied")).isNull();
    assertThat(after.signal("priority")).isNull();
    assertThat(after.signal("requests").value()).isEqualTo(1.0);
  }

  @Test
  void declaredDenial_actsLikeGpc() {
    engine.decide(Visit.builder("s3").event(Event.of("apply_coupon")).build());

    Decision d =
        engine.decide(
            Visit.builder("s3")
                .declared("consent", "denied")
                .event(Event.of("apply_coupon"))
                .build());

    assertThat(d.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(d.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(d.signal("consent").kind()).isEqualTo(SignalKind.EXPLICIT);
  }

  @Test
  void gpc_isReadOneWay_forTheSignalAndForConsent() {
    for (String value : List.of("1\u0001", " 1\t", "1\u2003", "\u00a01", "1 1", "0")) {
      Decision d =
          engine.decide(Visit.builder("gpc-" + value.hashCode()).header("Sec-GPC", value).build());

      boolean gpc = (Boolean) d.signal("gpc").value();
      assertThat(d.consent())
          .as("Sec-GPC %s", value.codePoints().boxed().toList())
          .isEqualTo(gpc ? ConsentMode.REQUEST_ONLY : ConsentMode.FULL);
    }
  }

  @Test
  void declaredConsent_isReadIgnoringCaseAndSpace_andAnythingElseIsTakenAsDenied() {
    List<Object> denials =
        List.of("Denied", "DENIED", " denied", "denied\n", false, true, "no", "");
    for (int i = 0; i < denials.size(); i++) {
      Object said = denials.get(i);
      String id = "deny-" + i;
      engine.decide(Visit.builder(id).event(Event.of("apply_coupon")).build());

      Decision d =
          engine.decide(
              Visit.builder(id).declared("consent", said).event(Event.of("apply_coupon")).build());

      assertThat(d.consent()).as("consent %s", said).isEqualTo(ConsentMode.REQUEST_ONLY);
      assertThat(d.signals(SignalKind.IMPLICIT)).as("consent %s", said).isEmpty();
      assertThat(d.signal("consent").value()).isEqualTo("denied");
      boolean canonical = said instanceof String s && s.strip().equalsIgnoreCase("denied");
      assertThat(d.flags().contains(Decision.Flag.INPUT_REJECTED))
          .as("consent %s", said)
          .isEqualTo(!canonical);
    }

    PersonaEngine optIn =
        PersonaEngine.builder().ruleSet(TestRules.ruleSet()).requireConsent(true).build();
    Decision granted = optIn.decide(Visit.builder("g").declared("consent", " Granted\t").build());

    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(granted.signal("consent").value()).isEqualTo("granted");
    assertThat(granted.flags()).isEmpty();
  }

  @Test
  void storedConsent_isNeverEvictedByOtherDeclaredKeys() {
    PersonaEngine optIn =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .requireConsent(true)
            .build();
    optIn.decide(
        Visit.builder("busy")
            .declared("consent", "granted")
            .event(Event.of("apply_coupon"))
            .build());
    for (int round = 0; round < 3; round++) {
      Visit.Builder many = Visit.builder("busy");
      for (int k = 0; k < 32; k++) {
        many.declared("key_" + round + "_" + k, "v");
      }
      assertThat(optIn.decide(many.build()).consent()).isEqualTo(ConsentMode.FULL);
    }

    Decision later = optIn.decide(Visit.builder("busy").event(Event.of("apply_coupon")).build());

    assertThat(later.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(later.signal("consent").value()).isEqualTo("granted");
    assertThat(later.signal("coupons_applied").value()).isEqualTo(2.0);
  }

  @Test
  void declaredDenial_holdsForTheSession_untilConsentIsGrantedAgain() {
    engine.decide(
        Visit.builder("d").event(Event.of("apply_coupon")).declared("priority", "price").build());
    engine.decide(Visit.builder("d").declared("consent", "denied").build());

    Decision next = engine.decide(Visit.builder("d").event(Event.of("apply_coupon")).build());
    Decision gpc = engine.decide(Visit.builder("d").header("Sec-GPC", "1").build());
    Decision afterGpc = engine.decide(Visit.builder("d").event(Event.of("apply_coupon")).build());
    Decision shown = engine.decide(Visit.builder("d").build());
    engine.recordOutcome(Outcome.shown("d", shown.variant("home.hero")));
    Decision granted =
        engine.decide(
            Visit.builder("d")
                .declared("consent", "granted")
                .event(Event.of("apply_coupon"))
                .build());
    Decision later = engine.decide(Visit.builder("d").build());

    for (Decision d : List.of(next, afterGpc, shown)) {
      assertThat(d.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
      assertThat(d.signals(SignalKind.IMPLICIT)).isEmpty();
      assertThat(d.signal("priority")).isNull();
      assertThat(d.reasons())
          .anyMatch(r -> r.kind() == Reason.Kind.CONSENT && r.text().contains("denied earlier"));
    }
    assertThat(gpc.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    // nothing of the session before the grant was kept: neither behaviour nor declarations
    assertThat(later.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(later.signal("coupons_applied").value()).isEqualTo(1.0);
    assertThat(later.signal("priority")).isNull();
    assertThat(later.signal("consent").value()).isEqualTo("granted");
    long attributed = engine.stats().attributedOutcomes();
    engine.decide(purchase("d"));
    assertThat(engine.stats().attributedOutcomes()).isEqualTo(attributed);
  }

  @Test
  void requestOnly_stillUsesWhatTheRequestDeclares() {
    Decision d =
        engine.decide(
            Visit.builder("s4").header("Sec-GPC", "1").declared("shopping_for_gift", true).build());

    assertThat(d.persona()).isEqualTo("gift_giver");
  }

  @Test
  void requiredConsent_isRememberedOnceGranted() {
    PersonaEngine optIn =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .requireConsent(true)
            .build();

    Decision before = optIn.decide(Visit.builder("s5").event(Event.of("apply_coupon")).build());
    Decision granted =
        optIn.decide(
            Visit.builder("s5")
                .declared("consent", "granted")
                .event(Event.of("apply_coupon"))
                .build());
    Decision later = optIn.decide(Visit.builder("s5").event(Event.of("apply_coupon")).build());

    assertThat(before.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(before.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(later.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(later.signal("coupons_applied").value()).isEqualTo(2.0);
  }

  @Test
  void grantOfASessionIdleBeyondTheTimeout_doesNotCarryIntoTheNextVisit() {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
    PersonaEngine optIn =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(clock)
            .requireConsent(true)
            .build();
    // the grant's visit is dated past the default idle timeout of 30 minutes: a visit replayed
    // late, or told by a backend whose request waited
    Decision granted =
        optIn.decide(
            Visit.builder("idle")
                .timestamp(clock.instant().minus(Duration.ofMinutes(31)))
                .declared("consent", "granted")
                .event(Event.of("apply_coupon"))
                .build());

    Decision next = optIn.decide(Visit.builder("idle").event(Event.of("apply_coupon")).build());
    Decision after = optIn.decide(Visit.builder("idle").event(Event.of("apply_coupon")).build());

    assertThat(granted.consent()).isEqualTo(ConsentMode.FULL);
    assertThat(next.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(next.signals(SignalKind.IMPLICIT)).isEmpty();
    assertThat(after.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
  }

  @Test
  void forget_leavesNoSignalOrExposureFromBefore_theNextDecisionIsAFreshSessions() {
    // the same history for two sessions: "gone" is forgotten, "kept" is the control
    for (String id : List.of("gone", "kept")) {
      Decision d = engine.decide(history(id));
      assertThat(d.signals(SignalKind.EXPLICIT)).extracting(Signal::key).contains("priority");
      assertThat(d.signals(SignalKind.IMPLICIT))
          .extracting(Signal::key)
          .contains(
              "coupons_applied", "product_views", "recently_viewed", "open_cart", "top_category");
      engine.recordOutcome(Outcome.shown(id, d.variant("home.hero")));
    }

    engine.forget("gone");
    Decision after = engine.decide(Visit.builder("gone").build());
    Decision fresh = engine.decide(Visit.builder("never-seen").build());

    assertThat(after.signals()).containsExactlyInAnyOrderElementsOf(fresh.signals());
    assertThat(after.signals(SignalKind.IMPLICIT))
        .extracting(Signal::key)
        .containsOnly("requests", "session_minutes", "entry_source");
    assertThat(after.signal("entry_source").value()).isEqualTo("direct"); // this request's own
    assertThat(after.signals(SignalKind.EXPLICIT)).isEmpty();
    assertThat(after.scores()).isEqualTo(fresh.scores());
    assertThat(after.persona()).isEqualTo(fresh.persona());
    assertThat(after.lifecycle()).isEqualTo(fresh.lifecycle());
    assertThat(after.stage()).isEqualTo(fresh.stage());
    assertThat(after.variants()).isEqualTo(fresh.variants());
    assertThat(after.flags()).isEqualTo(fresh.flags());

    // attribution: the exposure went with the session; the control's is still there
    long attributed = engine.stats().attributedOutcomes();
    engine.decide(purchase("gone"));
    assertThat(engine.stats().attributedOutcomes()).isEqualTo(attributed);
    engine.decide(purchase("kept"));
    assertThat(engine.stats().attributedOutcomes()).isGreaterThan(attributed);
  }

  private static Visit history(String id) {
    return Visit.builder(id)
        .declared("priority", "price")
        .declared("interests", List.of("hiking"))
        .event(Event.of("product_view", Map.of("product", "p1", "category", "shoes", "brand", "a")))
        .event(Event.of("add_to_cart", Map.of("product", "p2", "category", "bags", "brand", "b")))
        .event(Event.of("apply_coupon"))
        .build();
  }

  private static Visit purchase(String id) {
    return Visit.builder(id).event(Event.of("purchase", Map.of("value", 50))).build();
  }
}
