package dev.persona.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.VariantChoice;
import dev.persona.Visit;
import dev.persona.config.ExtensionConfig;
import dev.persona.spi.DecisionListener;
import dev.persona.testing.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every outcome the engine counts reaches its listeners, and so the decision log, once: those the
 * caller records and the purchases it credits by itself from events, joined to the decision shown.
 */
final class EngineOutcomesLogTest {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");
  private static final byte[] KEY =
      "0123456789abcdef-operator-key".getBytes(StandardCharsets.UTF_8);

  private final MutableClock clock = new MutableClock(T);

  private PersonaEngine engine(DecisionListener... listeners) {
    ExtensionConfig.Builder x = ExtensionConfig.builder();
    for (DecisionListener l : listeners) {
      x.listener(l);
    }
    return PersonaEngine.builder()
        .ruleSet(DecisionLogTest.rules())
        .clock(clock)
        .extensions(x.build())
        .build();
  }

  private static Visit couponUser(String session) {
    return Visit.builder(session).event(Event.of("apply_coupon")).build();
  }

  private static Visit purchase(String session, String orderId, double value) {
    return Visit.builder(session)
        .event(Event.of("purchase", Map.of("value", value, "order_id", orderId)))
        .build();
  }

  private static List<String> lines(Path file, String kind) throws IOException {
    return Files.readAllLines(file).stream()
        .filter(l -> l.contains("\"kind\":\"" + kind + "\""))
        .toList();
  }

  @Test
  void aPurchaseTheEngineCredits_isLogged_joinedToTheDecisionShown(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    PersonaEngine engine = engine(log);
    Decision shown = engine.decide(couponUser("session-secret-1"));
    VariantChoice hero = shown.variant("home.hero");
    engine.recordOutcome(Outcome.shown("session-secret-1", hero));
    clock.advance(Duration.ofMinutes(5));
    Decision later = engine.decide(purchase("session-secret-1", "order-secret-7", 59.9));
    engine.close();
    log.close();

    String text = Files.readString(file);
    assertThat(text).doesNotContain("session-secret-1").doesNotContain("order-secret-7");
    assertThat(text.lines().filter(l -> l.contains("\"type\":\"decision\"")))
        .hasSize(2)
        .anySatisfy(l -> assertThat(l).contains("\"id\":\"" + later.id() + "\""));
    assertThat(lines(file, "exposure")).hasSize(1);
    List<String> purchases = lines(file, "purchase");
    assertThat(purchases).hasSize(1);
    assertThat(purchases.get(0))
        .startsWith("{\"v\":1,\"type\":\"outcome\",\"decision\":\"" + shown.id() + "\"")
        .contains("\"at\":\"2026-12-01T10:05:00Z\"")
        .contains("\"placement\":\"home.hero\",\"variant\":\"" + hero.variant() + "\"")
        .containsPattern("\"value\":59.9,\"key\":\"[0-9a-f]{32}\"}$");
    assertThat(log.stats().outcomes()).isEqualTo(2);
    assertThat(engine.stats().attributedOutcomes()).isEqualTo(1);
  }

  @Test
  void anOutcomeRecordedTwice_andAlsoGivenToTheLog_isLoggedOnce(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    PersonaEngine engine = engine(log);
    Decision d = engine.decide(couponUser("s-1"));
    Outcome clicked = Outcome.clicked("s-1", d.variant("home.hero"));
    engine.recordOutcome(clicked);
    engine.recordOutcome(clicked); // a retry
    log.outcome(clicked); // a storefront that still logs what it records
    engine.close();
    log.close();

    assertThat(lines(file, "click")).hasSize(1);
    assertThat(log.stats().outcomes()).isEqualTo(1);
    assertThat(log.stats().repeated()).isEqualTo(1);
  }

  @Test
  void anOrderBothRecordedAndSentAsAnEvent_isLoggedOnce(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("decisions.jsonl");
    DecisionLog log = DecisionLog.builder(file).hashKey(KEY).build();
    PersonaEngine engine = engine(log);
    Decision d = engine.decide(couponUser("s-1"));
    VariantChoice hero = d.variant("home.hero");
    engine.recordOutcome(Outcome.shown("s-1", hero));
    clock.advance(Duration.ofMinutes(1));
    engine.recordOutcome(
        Outcome.builder(Outcome.Kind.PURCHASE, "s-1", hero).value(59.9).id("order-7").build());
    engine.decide(purchase("s-1", "order-7", 59.9));
    engine.close();
    log.close();

    assertThat(lines(file, "purchase"))
        .singleElement()
        .satisfies(l -> assertThat(l).contains("\"decision\":\"" + d.id() + "\""));
  }

  @Test
  void aListener_isToldOfEachCountedOutcome_withItsDecision_andNotOfThoseIgnored() {
    List<String> told = new CopyOnWriteArrayList<>();
    DecisionListener listener =
        new DecisionListener() {
          @Override
          public void onDecision(@Nullable Visit visit, Decision decision) {
            told.add("decision " + decision.id());
          }

          @Override
          public void onOutcome(Outcome o, Instant at) {
            told.add(
                o.kind()
                    + " "
                    + o.sessionId()
                    + " "
                    + o.placement()
                    + "="
                    + o.variant()
                    + " "
                    + o.segment()
                    + " "
                    + o.basis()
                    + " "
                    + o.decisionId()
                    + " "
                    + o.value()
                    + " "
                    + (o.id() != null && o.id().matches("event:[0-9a-f]{32}") ? "event" : o.id())
                    + " "
                    + at);
          }
        };
    List<Decision> decisionsOnly = new CopyOnWriteArrayList<>();
    PersonaEngine engine = engine(listener, (visit, decision) -> decisionsOnly.add(decision));
    Decision d = engine.decide(couponUser("s-1"));
    VariantChoice hero = d.variant("home.hero");
    engine.recordOutcome(Outcome.shown("s-1", hero));
    engine.recordOutcome(Outcome.shown("s-1", hero)); // counted once, told once
    engine.recordOutcome(Outcome.builder(Outcome.Kind.CLICK, "s-1", "no.such", "x").build());
    clock.advance(Duration.ofMinutes(2));
    Decision later = engine.decide(purchase("s-1", "order-7", 30));
    engine.close();

    String choice = "home.hero=" + hero.variant() + " value_hunter " + hero.basis() + " " + d.id();
    assertThat(told)
        .containsExactly(
            "decision " + d.id(),
            "EXPOSURE s-1 " + choice + " 0.0 " + d.id() + ":exposure:home.hero " + T,
            "PURCHASE s-1 " + choice + " 30.0 event " + T.plusSeconds(120),
            "decision " + later.id());
    assertThat(decisionsOnly).containsExactly(d, later);
  }

  @Test
  void outcomesForAListenerThatFallsBehind_areDroppedAndCounted() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Outcome> told = new CopyOnWriteArrayList<>();
    DecisionListener stalled =
        new DecisionListener() {
          @Override
          public void onDecision(@Nullable Visit visit, Decision decision) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void onOutcome(Outcome outcome, Instant at) {
            told.add(outcome);
          }
        };
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(DecisionLogTest.rules())
            .clock(clock)
            .extensions(
                ExtensionConfig.builder().listener(stalled).listenerQueueCapacity(1).build())
            .build();
    try {
      Decision d = engine.decide(couponUser("s-1"));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // holds the decision
      engine.recordOutcome(Outcome.shown("s-1", d.variant("home.hero"))); // waits
      engine.recordOutcome(Outcome.clicked("s-1", d.variant("home.hero"))); // finds it full

      assertThat(engine.stats().listenerDrops()).isEqualTo(1);
    } finally {
      release.countDown();
      engine.close();
    }
    assertThat(told).extracting(Outcome::kind).containsExactly(Outcome.Kind.EXPOSURE);
    assertThat(engine.stats().listenerDrops()).isEqualTo(1);
  }
}
