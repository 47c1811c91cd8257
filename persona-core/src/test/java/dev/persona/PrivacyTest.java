package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.ContextConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.testing.CapturedLog;
import dev.persona.testing.MutableClock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

final class PrivacyTest {
  private static final String SESSION = "sess-SECRET-4711";
  private static final String USER = "user-SECRET-0815";
  private static final String USER_AGENT = "UA-SECRET-agent/1.0";
  private static final String IP = "203.0.113.77";

  @Test
  void noIdHeaderValueOrIp_appearsInAnyLogLine() {
    String log = CapturedLog.during(PrivacyTest::busyRun);

    assertThat(log).contains("WARN", "DEBUG", "extractor 'leaky'", "session store");
    assertThat(log).doesNotContain(SESSION, USER, USER_AGENT, IP, "SECRET");
  }

  @Test
  void forgetUser_erasesEverySessionTheUserWasSeenIn() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .build();
    engine.decide(Visit.builder("phone").userId("u1").event(Event.of("apply_coupon")).build());
    engine.decide(Visit.builder("laptop").userId("u1").declared("priority", "price").build());
    engine.decide(Visit.builder("other").userId("u2").event(Event.of("apply_coupon")).build());

    int erased = engine.forgetUser("u1");

    assertThat(erased).isEqualTo(2);
    for (String session : List.of("phone", "laptop")) {
      Decision after = engine.decide(Visit.builder(session).build());
      assertThat(after.signals(SignalKind.IMPLICIT))
          .extracting(Signal::key)
          .containsOnly("requests", "session_minutes", "entry_source");
      assertThat(after.signal("entry_source").value()).isEqualTo("direct"); // this request's own
      assertThat(after.signals(SignalKind.EXPLICIT)).isEmpty();
    }
    // still signed in: a visit without the user id would sign the session out (docs/profile.md)
    assertThat(engine.decide(Visit.builder("other").userId("u2").build()).signal("coupons_applied"))
        .isNotNull();
    assertThat(engine.forgetUser("u1")).isZero();
  }

  @Test
  void userAgentCacheSizeZero_turnsTheCacheOff_andDevicesAreStillClassified() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .context(ContextConfig.builder().userAgentCacheSize(0).build())
            .build();

    for (int i = 0; i < 2; i++) {
      Decision d =
          engine.decide(Visit.builder("s").header("User-Agent", SignalKindsTest.iphone()).build());
      assertThat(d.signal("device").value()).isEqualTo("mobile");
    }
    assertThatThrownBy(
            () ->
                PersonaEngine.builder()
                    .context(ContextConfig.builder().userAgentCacheSize(-1).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("userAgentCacheSize must not be negative, was -1");
  }

  @Test
  void consentWithdrawnMidSession_dropsStoredStateAtOnce() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .clock(new MutableClock(Instant.parse("2026-11-10T12:00:00Z")))
            .build();
    engine.decide(
        Visit.builder("s").event(Event.of("apply_coupon")).declared("priority", "price").build());

    engine.decide(Visit.builder("s").declared("consent", "denied").build());
    Decision afterwards = engine.decide(Visit.builder("s").build());

    assertThat(afterwards.signal("coupons_applied")).isNull();
    assertThat(afterwards.signal("priority")).isNull();
    // the denial holds for the session (ConsentTest): still nothing stored, nothing used
    assertThat(afterwards.consent()).isEqualTo(ConsentMode.REQUEST_ONLY);
    assertThat(afterwards.signals(SignalKind.IMPLICIT)).isEmpty();
  }

  private static void busyRun() {
    try (PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new LeakyStore()).build())
            .extensions(
                ExtensionConfig.builder()
                    .extractor(new Leaky())
                    .listener(
                        (visit, decision) -> {
                          throw new IllegalStateException(
                              "listener saw " + Objects.requireNonNullElse(visit.userId(), ""));
                        })
                    .build())
            .build()) {
      busyRun(engine);
    } // close lets the listener's thread finish, so that its log lines are captured too
  }

  private static void busyRun(PersonaEngine engine) {
    for (int i = 0; i < 200; i++) {
      engine.decide(
          Visit.builder(i % 7 == 0 ? null : SESSION)
              .userId(USER)
              .header("User-Agent", USER_AGENT)
              .header("X-Forwarded-For", IP)
              .header("Sec-GPC", i % 5 == 0 ? "1" : null)
              .declared("interests", List.of("SECRET-interest", "x".repeat(300)))
              .profile("orders", Double.NaN)
              .event(Event.builder("purchase").attribute("quantity", -1).build())
              .build());
    }
  }

  private static final class Leaky implements SignalExtractor {
    @Override
    public String name() {
      return "leaky";
    }

    @Override
    public List<SignalSpec> signals() {
      return List.of();
    }

    @Override
    public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
      throw new IllegalArgumentException(
          "bad request "
              + visit.sessionId()
              + " "
              + visit.header("User-Agent")
              + " "
              + visit.header("X-Forwarded-For"),
          new RuntimeException("cause mentions " + Objects.requireNonNullElse(visit.userId(), "")));
    }
  }

  private static final class LeakyStore implements SessionStore {
    @Override
    public SessionState get(String sessionId) {
      throw new IllegalStateException("cannot read " + sessionId + " from " + IP);
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      throw new IllegalStateException("cannot write " + sessionId + " to " + IP);
    }

    @Override
    public void remove(String sessionId) {
      throw new IllegalStateException("cannot remove " + sessionId);
    }
  }
}
