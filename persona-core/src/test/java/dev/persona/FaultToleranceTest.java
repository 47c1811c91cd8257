package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.testing.CapturedLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

final class FaultToleranceTest {

  @Test
  void garbageVisit_getsAFlaggedDefaultDecision() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    Visit garbage =
        Visit.builder(null)
            .header(null, "x")
            .header("User-Agent", null)
            .declared(null, 1)
            .declared("interests", null)
            .profile("orders", Double.NaN)
            .event(null)
            .events(Arrays.asList(null, Event.of(null, null)))
            .query((String) null, "v")
            .build();

    Decision d = engine.decide(garbage);

    assertThat(garbage.isValid()).isFalse();
    assertThat(garbage.problems()).contains("no session id", "header with null name dropped");
    assertThat(d.isDefault()).isTrue();
    assertThat(d.flags()).contains(Decision.Flag.INVALID_VISIT);
    assertThat(d.variant("home.hero").variant()).isEqualTo("new-season");
    assertThat(d.scores())
        .containsOnlyKeys("value_hunter", "researcher", "gift_giver", "mobile_shopper");
    assertThat(d.scores().values()).containsOnly(0.0);
    assertThat(engine.decide(null).isDefault()).isTrue();
    assertThat(engine.stats().defaultDecisions()).isEqualTo(2);
  }

  @Test
  void wrongTypesInAValidVisit_areLeftOutAndFlagged() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    Visit visit =
        Visit.builder("s1")
            .declared("interests", List.of("ok", 7))
            .declared("loyalty_member", new Object())
            .profile("orders", Double.POSITIVE_INFINITY)
            .event(Event.of("add_to_cart", Map.of("quantity", -3.5, "category", 12)))
            .timestamp(Instant.MAX)
            .build();

    Decision d = engine.decide(visit);

    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags())
        .containsExactlyInAnyOrder(Decision.Flag.INPUT_REJECTED, Decision.Flag.CLOCK_AHEAD);
    assertThat(d.signal("interests").value()).isEqualTo(java.util.Set.of("ok"));
    assertThat(d.signal("loyalty_member")).isNull();
    assertThat(d.signal("orders")).isNull();
    assertThat(d.signal("cart_items").value()).isEqualTo(1.0);
  }

  @Test
  void whatTheVisitBuilderDrops_inAValidVisit_isCountedAndFlaggedAsRejected_withoutValues() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    Map<String, Object> nullKey = new java.util.HashMap<>();
    nullKey.put(null, "SECRET-VALUE");
    Visit visit =
        Visit.builder("s1")
            .header(null, "SECRET-VALUE")
            .query((String) null, "SECRET-VALUE")
            .declared(nullKey)
            .profile(null, "SECRET-VALUE")
            .event(null)
            .event(Event.builder("add_to_cart").attribute(null, "SECRET-VALUE").build())
            .build();

    Decision d = engine.decide(visit);

    assertThat(visit.isValid()).isTrue();
    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).containsExactly(Decision.Flag.INPUT_REJECTED);
    assertThat(engine.stats().rejectedInputs()).isEqualTo(6);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains(
            "input rejected: header with null name dropped",
            "input rejected: query parameter with null name dropped",
            "input rejected: declared attribute with null key dropped",
            "input rejected: profile attribute with null key dropped",
            "input rejected: null event dropped",
            "input rejected: event attribute with null name dropped")
        .noneMatch(text -> text.contains("SECRET") || text.contains("s1"));
    assertThat(d.signal("cart_items").value()).isEqualTo(1.0);

    Decision clean = engine.decide(Visit.builder("s1").build());

    assertThat(clean.flags()).isEmpty();
    assertThat(engine.stats().rejectedInputs()).isEqualTo(6);
  }

  @Test
  void throwingExtractor_losesOnlyItsOwnSignals() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(ExtensionConfig.builder().extractor(new Throwing()).build())
            .build();

    Decision d =
        engine.decide(
            Visit.builder("s1")
                .header("User-Agent", SignalKindsTest.iphone())
                .event(Event.of("compare"))
                .build());

    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
    assertThat(d.signal("half_done")).isNull();
    assertThat(d.signal("device").value()).isEqualTo("mobile");
    assertThat(d.persona()).isEqualTo("mobile_shopper");
    assertThat(engine.stats().extractorFailures()).isEqualTo(1);
  }

  @Test
  void throwingStore_costsOnlyTheSessionsMemory() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new BrokenStore()).build())
            .build();

    Decision d = engine.decide(Visit.builder("s1").event(Event.of("apply_coupon")).build());

    assertThat(d.isDefault()).isFalse();
    assertThat(d.flags()).contains(Decision.Flag.STORE_FAILED);
    assertThat(d.signal("coupons_applied").value()).isEqualTo(1.0);
    assertThat(engine.stats().storeFailures()).isEqualTo(1);
  }

  @Test
  void throwingListener_doesNotAffectTheDecision() {
    List<Decision> seen = new CopyOnWriteArrayList<>();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .listener(
                        (v, d) -> {
                          throw new IllegalStateException("listener bug");
                        })
                    .listener((v, d) -> seen.add(d))
                    .build())
            .build();

    Decision d = engine.decide(Visit.builder("s1").build());
    engine.close(); // listeners run on their own threads: close lets them finish what is queued

    assertThat(d.flags()).isEmpty();
    assertThat(seen).containsExactly(d);
    assertThat(engine.stats().listenerFailures()).isEqualTo(1);
  }

  @Test
  void throwingExtractor_failingOnEveryRequest_isLoggedOncePerInterval_andCountedEachTime() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(ExtensionConfig.builder().extractor(new Throwing()).build())
            .build();

    String log =
        CapturedLog.during(
            () -> {
              for (int i = 0; i < MANY; i++) {
                Decision d = engine.decide(Visit.builder("s-many-" + i).build());
                assertThat(d.flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
              }
            });

    assertThat(engine.stats().extractorFailures()).isEqualTo(MANY);
    assertLoggedOnce(log, "extractor 'throwing' failed with java.lang.IllegalStateException");
    assertThat(log).doesNotContain("extractor bug", "s-many-");
  }

  @Test
  void throwingStore_failingOnEveryRequest_isLoggedOncePerInterval_andCountedEachTime() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new BrokenStore()).build())
            // the store throws at once; on a busy machine its call may still pass the default
            // 50 ms, and is then logged as timed out: this test is about throwing
            .extensions(ExtensionConfig.builder().callTimeout(Duration.ofSeconds(30)).build())
            .build();

    String log =
        CapturedLog.during(
            () -> {
              for (int i = 0; i < MANY; i++) {
                Decision d = engine.decide(Visit.builder("s-many-" + i).build());
                assertThat(d.flags()).containsExactly(Decision.Flag.STORE_FAILED);
              }
            });
    engine.close();

    assertThat(engine.stats().storeFailures()).isEqualTo(MANY);
    assertLoggedOnce(log, "session store failed with java.lang.IllegalStateException");
    assertThat(log).doesNotContain("store down", "s-many-");
  }

  @Test
  void throwingListener_failingOnEveryDecision_isLoggedOncePerInterval_andCountedEachTime() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .listener(
                        (v, d) -> {
                          throw new IllegalStateException("listener bug");
                        })
                    .build())
            .build();

    String log =
        CapturedLog.during(
            () -> {
              for (int i = 0; i < MANY; i++) {
                engine.decide(Visit.builder("s-many-" + i).build());
              }
              engine.close(); // lets the listener's thread fail on every queued decision
            });

    assertThat(engine.stats().listenerFailures()).isEqualTo(MANY);
    assertThat(engine.stats().listenerDrops()).isZero();
    assertLoggedOnce(log, "failed with java.lang.IllegalStateException");
    assertThat(log).contains("listener dev.persona.FaultToleranceTest");
    assertThat(log).doesNotContain("listener bug", "s-many-");
  }

  /** Failures of one component within one interval (a minute): many, all counted. */
  private static final int MANY = 50;

  /**
   * Asserts that {@code warning} was logged exactly once, at WARN, with no other WARN line and no
   * tally of failures since an earlier line (there was none in the interval).
   */
  private static void assertLoggedOnce(String log, String warning) {
    assertThat(CapturedLog.count(log, warning)).as("lines with: %s", warning).isEqualTo(1);
    assertThat(CapturedLog.count(log, "WARN")).as("WARN lines").isEqualTo(1);
    assertThat(log).doesNotContain("more times since the last report");
  }

  @Test
  void internalFailure_becomesAFlaggedDefaultDecision() {
    PersonaEngine engine =
        PersonaEngine.builder().ruleSet(TestRules.ruleSet()).clock(new BrokenClock()).build();

    Decision d = engine.decide(Visit.builder("s1").build());

    assertThat(d.isDefault()).isTrue();
    assertThat(d.flags()).containsExactly(Decision.Flag.INTERNAL_ERROR);
    assertThat(d.variants()).hasSize(2);
    assertThat(d.reasons())
        .extracting(Reason::text)
        .contains("default decision: the engine failed");
  }

  @Test
  void overlongSessionId_makesTheVisitInvalid() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .limits(Limits.builder().maxSessionIdLength(8).build())
            .build();

    Decision d = engine.decide(Visit.builder("123456789").build());

    assertThat(d.flags()).contains(Decision.Flag.INVALID_VISIT, Decision.Flag.INPUT_TRUNCATED);
  }

  private static final class Throwing implements SignalExtractor {
    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public List<SignalSpec> signals() {
      return List.of(
          new SignalSpec("half_done", SignalKind.CONTEXTUAL, SignalType.FLAG, "never complete"));
    }

    @Override
    public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
      sink.flag("half_done", true);
      throw new IllegalStateException("extractor bug");
    }
  }

  private static final class BrokenStore implements SessionStore {
    @Override
    public SessionState get(String sessionId) {
      throw new IllegalStateException("store down");
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      throw new IllegalStateException("store down");
    }

    @Override
    public void remove(String sessionId) {
      throw new IllegalStateException("store down");
    }
  }

  private static final class BrokenClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      throw new IllegalStateException("clock broken");
    }
  }
}
