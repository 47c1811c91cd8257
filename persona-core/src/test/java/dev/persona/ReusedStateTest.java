package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.config.ExtensionConfig;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine reuses per-thread working memory from request to request and makes a decision's
 * signals and reasons on first use: neither may leak from one decision into another.
 */
final class ReusedStateTest {
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like"
          + " Gecko) Version/18.6 Mobile/15E148 Safari/604.1";
  private static final String WINDOWS =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko)"
          + " Chrome/126.0.0.0 Safari/537.36";
  private static final Instant NOON = Instant.parse("2026-03-04T12:00:00Z");

  private static Visit rich(String session) {
    return Visit.builder(session)
        .timestamp(NOON)
        .header("User-Agent", IPHONE)
        .header("Accept-Language", "pl-PL,pl;q=0.9")
        .header("CF-IPCountry", "PL")
        .header("Referer", "https://www.instagram.com/")
        .query("utm_campaign", "Spring-Sale")
        .declared("priority", "price")
        .declared("interests", List.of("hiking"))
        .profile("orders", 4)
        .event(Event.of("view_reviews"))
        .event(Event.of("compare"))
        .build();
  }

  private static Visit plain(String session) {
    return Visit.builder(session).timestamp(NOON).header("User-Agent", WINDOWS).build();
  }

  @Test
  void signalsAndReasons_readAfterOtherDecisions_areThoseOfTheirOwnVisit() {
    PersonaEngine engine = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build();
    Decision first = engine.decide(rich("a"));
    for (int i = 0; i < 20; i++) {
      engine.decide(i % 2 == 0 ? plain("p" + i) : rich("r" + i));
    }

    Decision fresh = PersonaEngine.builder().ruleSet(TestRules.ruleSet()).build().decide(rich("a"));

    assertThat(first.signals()).isEqualTo(fresh.signals()).isNotEmpty();
    assertThat(first.reasons()).isEqualTo(fresh.reasons());
    assertThat(first.signal("device").value()).isEqualTo("mobile");
    assertThat(first.signal("campaign").value()).isEqualTo("spring-sale");
    assertThat(first.signal("orders").value()).isEqualTo(4.0);
  }

  /**
   * Runs the extractor on the request thread ({@link Duration#ZERO}), where the inner decision
   * reuses the outer one's thread, and on the extension threads with the longest limit: the limit
   * is not what this tests, and a nested decision under load outlasted the default 50 ms.
   */
  @ParameterizedTest
  @ValueSource(longs = {0, 60_000})
  void aDecisionInsideAnExtractor_leavesTheOuterDecisionWhole(long limitMillis) {
    ExtensionConfig.Builder extensions =
        ExtensionConfig.builder().callTimeout(Duration.ofMillis(limitMillis));
    AtomicReference<PersonaEngine> engine = new AtomicReference<>();
    AtomicReference<Decision> inner = new AtomicReference<>();
    SignalExtractor nesting =
        new SignalExtractor() {
          @Override
          public String name() {
            return "nesting";
          }

          @Override
          public List<SignalSpec> signals() {
            return List.of();
          }

          @Override
          public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
            if (visit.sessionId().equals("outer")) {
              inner.set(engine.get().decide(plain("inner")));
            }
          }
        };
    engine.set(
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(extensions.extractor(nesting).build())
            .build());

    Decision outer = engine.get().decide(rich("outer"));

    Decision alone =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(extensions.build())
            .build()
            .decide(rich("alone"));
    assertThat(outer.flags()).as(outer.reasons().toString()).isEmpty();
    assertThat(outer.signals()).isEqualTo(alone.signals());
    assertThat(outer.reasons()).isEqualTo(alone.reasons());
    assertThat(outer.scores()).isEqualTo(alone.scores());
    assertThat(inner.get().signal("device").value()).isEqualTo("desktop");
    assertThat(inner.get().signal("campaign")).isNull();
  }

  @Test
  void aSinkKeptPastItsCall_changesNothing() {
    AtomicReference<SignalSink> kept = new AtomicReference<>();
    SignalExtractor keeping =
        new SignalExtractor() {
          @Override
          public String name() {
            return "keeping";
          }

          @Override
          public List<SignalSpec> signals() {
            return List.of(
                new SignalSpec("vip", SignalKind.CONTEXTUAL, SignalType.FLAG, "a VIP header"));
          }

          @Override
          public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
            if (kept.get() == null) {
              kept.set(sink);
              sink.flag("vip", true);
            }
          }
        };
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(ExtensionConfig.builder().extractor(keeping).build())
            .build();
    Decision first = engine.decide(plain("a"));

    kept.get().flag("vip", false);
    Decision second = engine.decide(plain("b"));
    kept.get().flag("vip", false);

    assertThat(first.signal("vip").value()).isEqualTo(true);
    assertThat(second.signal("vip")).isNull();
    assertThat(second.flags()).isEmpty();
  }
}
