package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Condition;
import dev.persona.ruleset.Rule;
import dev.persona.ruleset.RuleSetException;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

final class EngineBuilderTest {

  @Test
  void build_withoutRuleSet_namesTheMissingSetting() {
    assertThatThrownBy(() -> PersonaEngine.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ruleSet is required");
  }

  @Test
  void setters_rejectBadValuesAtOnce() {
    assertThatThrownBy(() -> SessionConfig.inMemory(0))
        .hasMessage("maxSessions must be positive, was 0");
    SessionConfig.Builder sessions = SessionConfig.inMemory(10);
    assertThatThrownBy(() -> sessions.idleTimeout(Duration.ZERO))
        .hasMessageContaining("idleTimeout must be positive");
    assertThatThrownBy(() -> sessions.halfLife(Duration.ofNanos(5)))
        .hasMessageContaining("halfLife");
    assertThatThrownBy(() -> ContextConfig.builder().geoHeaders(List.of()))
        .hasMessageContaining("geoHeaders");
    ExtensionConfig.Builder extensions = ExtensionConfig.builder();
    assertThatThrownBy(() -> extensions.callTimeout(Duration.ofMillis(-1)))
        .hasMessageContaining("callTimeout must be zero or positive");
    assertThatThrownBy(() -> extensions.callTimeout(Duration.ofMinutes(2)))
        .hasMessageContaining("at most 1 minute");
    assertThatThrownBy(() -> extensions.listenerQueueCapacity(0))
        .hasMessage("listenerQueueCapacity must be between 1 and 1048576, was 0");
    assertThatThrownBy(() -> ExperimentConfig.builder().holdout(1))
        .hasMessage("holdout must be at least 0 and below 1, was 1.0");
    assertThatThrownBy(() -> Limits.builder().maxAffinityKeys(256))
        .hasMessage("maxAffinityKeys must be at most 255, was 256");
    assertThatThrownBy(() -> PersonaEngine.builder().ruleSet(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ruleSet");
    assertThatThrownBy(() -> PersonaEngine.builder().sessions(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("sessions");
  }

  @Test
  void sessionConfig_aStoreOfYourOwnOrABoundedOneInMemory_neverBoth() {
    SessionStore own = SessionStore.inMemory(10, Duration.ofMinutes(1));

    SessionConfig shared = SessionConfig.store(own).idleTimeout(Duration.ofMinutes(5)).build();
    SessionConfig local = SessionConfig.inMemory(5).build();

    assertThat(shared.store()).isSameAs(own);
    assertThat(shared.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(local.store()).isNull();
    assertThat(local.maxSessions()).isEqualTo(5);
    assertThat(SessionConfig.defaults().maxSessions()).isEqualTo(100_000);
    assertThat(SessionConfig.defaults().idleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(SessionConfig.defaults().halfLife()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void configurations_printTheirSettingsButNoHostsOrStoreContents() {
    ContextConfig context = ContextConfig.builder().siteHosts(List.of("shop.example.com")).build();

    assertThat(context.toString())
        .contains("timeZone=Z", "siteHosts=1")
        .doesNotContain("shop.example.com");
    assertThat(ExperimentConfig.builder().forcedVariants("persona_force").build().toString())
        .contains("forcedVariants=true")
        .doesNotContain("persona_force");
    assertThat(Limits.builder().maxSetSize(3).build().toString()).contains("maxSetSize=3");
    assertThat(Limits.builder().maxSetSize(3).build())
        .isEqualTo(Limits.defaults().toBuilder().maxSetSize(3).build());
  }

  @Test
  void build_rejectsTwoExtractorsOfOneSignal() {
    PersonaEngine.Builder b =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(ExtensionConfig.builder().extractor(extractor("device")).build());

    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "signal 'device' is declared by both extractor 'device' and extractor 'custom'");
  }

  @Test
  void build_reportsEveryRuleProblemTogether() {
    var rules =
        TestRules.builder()
            .rule(
                Rule.builder("bad-type")
                    .when(Condition.gt("device", 3))
                    .add("researcher", 0.1)
                    .build())
            .rule(
                Rule.builder("bad-key")
                    .when(Condition.exists("nonsense"))
                    .add("researcher", 0.1)
                    .build())
            .rule(
                Rule.builder("too-early")
                    .when(Condition.eq("lifecycle", "x"))
                    .add("researcher", 0.1)
                    .build())
            .rule(
                Rule.builder("bad-flag")
                    .when(Condition.eq("shopping_for_gift", "yes"))
                    .add("researcher", 0.1)
                    .build())
            .build();

    assertThatThrownBy(() -> PersonaEngine.builder().ruleSet(rules).build())
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "'device' is TEXT: > needs a NUMBER signal (at $.rules[8].when)",
                        "unknown signal 'nonsense'; rules may test built-in signals, extractors'"
                            + " signals and signals the rule set declares (at $.rules[9].when)",
                        "'lifecycle' is decided after rules and assignments run; only variant"
                            + " conditions may test it (at $.rules[10].when)",
                        "'shopping_for_gift' is FLAG: compare it with true or false, not yes"
                            + " (at $.rules[11].when)"));
  }

  @Test
  void customExtractorSignals_canBeTestedByRules() {
    var rules =
        TestRules.builder()
            .rule(
                Rule.builder("vip")
                    .when(Condition.eq("custom", true))
                    .add("researcher", 0.7)
                    .build())
            .build();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(rules)
            .extensions(ExtensionConfig.builder().extractor(extractor("custom")).build())
            .build();

    Decision d = engine.decide(Visit.builder("s").build());

    assertThat(d.persona()).isEqualTo("researcher");
    assertThat(d.signal("custom"))
        .satisfies(
            s -> {
              assertThat(s.kind()).isEqualTo(SignalKind.CONTEXTUAL);
              assertThat(s.source()).isEqualTo("custom");
            });
    assertThat(engine.signals()).extracting(SignalSpec::key).contains("custom", "device", "orders");
  }

  @Test
  void siteHosts_makeReferralsFromTheStoreInternal() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .context(
                ContextConfig.builder().siteHosts(List.of("https://www.shop.example.com")).build())
            .build();
    Visit fromBlog =
        Visit.builder("s")
            .header("Host", "api.example.com")
            .header("Referer", "https://shop.example.com/cart")
            .build();

    assertThat(engine.decide(fromBlog).signal("traffic_source").value()).isEqualTo("internal");
    assertThatThrownBy(
            () ->
                PersonaEngine.builder()
                    .context(ContextConfig.builder().siteHosts(List.of("not a host")).build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void giftingCalendarAndVisitorTimeZone_shapeTheTimeSignals() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(java.time.Instant.parse("2026-08-20T23:30:00Z")))
            .context(
                ContextConfig.builder()
                    .giftingCalendar(
                        dev.persona.config.GiftingCalendar.defaults()
                            .with(
                                dev.persona.config.GiftingPeriod.annual(
                                    "back_to_school",
                                    java.time.MonthDay.of(8, 15),
                                    java.time.MonthDay.of(9, 5))))
                    .visitorTimeZoneHeaders(List.of("CloudFront-Viewer-Time-Zone"))
                    .build())
            .build();

    Decision utc = engine.decide(Visit.builder("s1").build());
    Decision tokyo =
        engine.decide(
            Visit.builder("s2").header("CloudFront-Viewer-Time-Zone", "Asia/Tokyo").build());

    assertThat(utc.signal("season").value()).isEqualTo("back_to_school");
    assertThat(utc.signal("gifting_period").value()).isEqualTo(true);
    assertThat(utc.signal("daypart").value()).isEqualTo("evening");
    assertThat(tokyo.signal("daypart").value()).isEqualTo("morning");
  }

  private static SignalExtractor extractor(String key) {
    return new SignalExtractor() {
      @Override
      public String name() {
        return "custom";
      }

      @Override
      public List<SignalSpec> signals() {
        return List.of(new SignalSpec(key, SignalKind.CONTEXTUAL, SignalType.FLAG, "test"));
      }

      @Override
      public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
        sink.flag(key, true);
      }
    };
  }
}
