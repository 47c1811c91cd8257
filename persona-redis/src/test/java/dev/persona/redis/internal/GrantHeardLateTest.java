package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.SessionSnapshot;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.rules.RuleSetReader;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The shopper withdraws consent on a, grants it again on b, and goes on visiting a. b's grant waits
 * in its queue (b's writer is held, as when b is busy or Redis was away), so a's visits, made after
 * the grant, land on the denial first and are held back. Once the grant lands, a hears of the write
 * and lets them in: the session counts them, once. A visit made under the denial, before the grant,
 * stays out.
 */
final class GrantHeardLateTest extends WithRedis {
  private final MutableClock clock = new MutableClock(Races.FIXED.instant());

  @Test
  void visitsAfterAGrantThatLandsLater_areLetInOnceItLands() throws Exception {
    Races.Gate roundB = new Races.Gate("round");
    try (RedisSessions a = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions b = Races.sessions(redis.uri(), true, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onA.decide(productView("s"));
      onA.decide(productView("s"));
      later();
      onA.decide(consent("denied"));
      awaitTrue(() -> "denied".equals(consentIn(reader)));
      assertThat(onB.inspect("s")).as("b holds a copy of the denial").isNotNull();
      b.probe(roundB::at);
      roundB.arm();
      later();
      onB.decide(grantAndView()); // written behind: waits in b's queue
      roundB.awaitReached();
      later();
      onA.decide(productView("s"));
      onA.decide(productView("s"));
      assertThat(consentIn(reader))
          .as("the grant waits; a's visits landed on the denial")
          .isEqualTo("denied");
      assertThat(visits(reader, "s")).isZero();
      assertThat(a.heldBackSessions()).as("a holds them back").isEqualTo(1);

      roundB.open();

      awaitTrue(() -> visits(reader, "s") == 3, 10); // the grant's and a's two
      awaitTrue(() -> a.heldBackSessions() == 0);
      assertThat(consentIn(reader)).isEqualTo("granted");
      SessionSnapshot look = engine(reader).inspect("s");
      assertThat(look).isNotNull();
      assertThat(look.requests()).as("counted once").isEqualTo(3);
    }
  }

  @Test
  void aVisitUnderTheDenial_staysOutWhenALaterGrantLands() throws Exception {
    try (RedisSessions a = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions b = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onA.decide(productView("s"));
      later();
      onA.decide(consent("denied"));
      later();
      onA.decide(productView("s")); // under the denial: held back, for a grant made before it
      assertThat(a.heldBackSessions()).isEqualTo(1);
      later();
      onB.decide(grantAndView());

      awaitTrue(() -> a.heldBackSessions() == 0); // a checked the grant, and let the visit go
      RedisServer.sleep(200);
      assertThat(consentIn(reader)).isEqualTo("granted");
      assertThat(visits(reader, "s")).as("the grant's only").isEqualTo(1);
    }
  }

  private void later() {
    clock.advance(Duration.ofSeconds(1));
  }

  private PersonaEngine engine(RedisSessions sessions) {
    return PersonaEngine.builder()
        .ruleSet(RuleSetReader.defaultRuleSet())
        .clock(clock)
        .sessions(SessionConfig.store(Races.store(sessions)).build())
        .build();
  }

  private String consentIn(RedisSessions reader) {
    SessionSnapshot look = engine(reader).inspect("s");
    return look == null ? "none" : String.valueOf(look.consent());
  }

  private static Visit consent(String value) {
    return Visit.builder("s").declared("consent", value).build();
  }

  private static Visit grantAndView() {
    return Visit.builder("s")
        .declared("consent", "granted")
        .event(Event.of("product_view"))
        .build();
  }
}
