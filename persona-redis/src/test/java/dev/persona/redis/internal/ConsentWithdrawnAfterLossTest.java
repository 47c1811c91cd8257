package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.ConsentMode;
import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.SessionSnapshot;
import dev.persona.Visit;
import dev.persona.spi.SessionState;
import dev.persona.testing.RedisServer;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts empty; b, which never held the session, writes a visit of it provisionally; a,
 * which holds the copy, writes it back over that state (field {@code q} then says, until the
 * provisional time is over, that a copy replaced it, and b writes its change again on the copy).
 * Within that time the shopper withdraws consent ({@code consent=denied}: the session keeps the
 * denial only). What was withdrawn must not come back: not from a's copy, not from b's change
 * written again, not from a change that waited in b's queue. The background writers are held at
 * {@link RedisSessions.Probe} points so that the order is the one under test.
 */
final class ConsentWithdrawnAfterLossTest extends WithRedis {
  /** The copy is written back first (q set); then the withdrawal; then b writes its changes. */
  @Test
  void aWithdrawalAfterTheCopyReplacedTheProvisionalState_holdsOnEveryInstance() throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    Races.Gate roundB = new Races.Gate("round");
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      a.probe(idleA::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      for (int i = 0; i < 3; i++) {
        onA.decide(productView("s")); // a holds the newest copy
      }
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      idleA.arm();
      idleA.awaitReached(); // a's writer does not find the loss until opened
      redis.stop();
      redis.startAgain();
      awaitTrue(() -> answers(linkA) && answers(linkB));
      RedisServer.sleep(3_500); // b found the loss; the 2 s every change waits for passed
      assertThat(onB.decide(productView("s")).flags()).as("provisional").isEmpty();
      b.probe(roundB::at);
      roundB.arm(); // b writes nothing until the withdrawal landed
      idleA.open(); // a finds the loss and writes its copy back over b's provisional state
      awaitTrue(() -> a.counters()[10] == 1, 15);
      assertThat(visits(reader)).as("a's copy replaced b's provisional state").isEqualTo(3);
      assertThat(onB.decide(productView("s")).flags())
          .as("during the write-back's hold: waits in b's queue")
          .contains(Decision.Flag.STORE_DEGRADED);
      RedisServer.sleep(2_500); // the hold is over; the state is still within its provisional time
      Decision withdrawn = onA.decide(denial());
      assertThat(withdrawn.flags()).as("the withdrawal landed").isEmpty();
      roundB.awaitReached();
      roundB.open(); // b writes its waiting change, and its provisional one again on the copy
      awaitTrue(() -> b.counters()[6] == 0, 15);
      RedisServer.sleep(1_000); // b's check of the write-back, which waits for the hold, is done

      assertWithdrawn(new SoftAssertions(), reader, a, b, onA, onB);
    }
  }

  /**
   * The withdrawal lands on b's provisional state, before a wrote its copy back: the copy, from
   * before the withdrawal, must not replace the denial. b's writer, which would write the denial
   * again on a copy that replaced its provisional state, is held (as if b were busy, or gone) until
   * a decided on what Redis holds.
   */
  @Test
  void aWithdrawalOnTheProvisionalState_isNotReplacedByTheCopyWrittenBack() throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    Races.Gate roundB = new Races.Gate("round");
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = Races.sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = Races.sessions(linkB, false, 1_000);
        RedisSessions reader = Races.noCopies(redis.uri())) {
      a.probe(idleA::at);
      b.probe(roundB::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      for (int i = 0; i < 3; i++) {
        onA.decide(productView("s"));
      }
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      idleA.arm();
      idleA.awaitReached();
      redis.stop();
      redis.startAgain();
      awaitTrue(() -> answers(linkA) && answers(linkB));
      RedisServer.sleep(3_500);
      assertThat(onB.decide(productView("s")).flags()).as("provisional").isEmpty();
      assertThat(onB.decide(denial()).flags()).as("the withdrawal landed").isEmpty();
      roundB.arm();
      idleA.open(); // a finds the loss and writes back its copy, from before the withdrawal
      awaitTrue(() -> a.counters()[1] > 0 && linkA.tracking(), 15);
      RedisServer.sleep(
          4_500); // past the 2 s changes wait after the loss, and the write-back's hold
      Decision onA1 = onA.decide(Visit.builder("s").build());
      String inRedis = describe(reader);
      roundB.open();
      RedisServer.sleep(2_500); // b's check of the write-back, if any, is done

      SoftAssertions soft = new SoftAssertions();
      soft.assertThat(inRedis).as("in Redis before b's writer went on").isEqualTo("denial only");
      soft.assertThat(onA1.consent())
          .as("a decision on a after the withdrawal (%s)", onA1.flags())
          .isEqualTo(ConsentMode.REQUEST_ONLY);
      soft.assertThat(onA1.signal("product_views")).as("views it used").isNull();
      assertWithdrawn(soft, reader, a, b, onA, onB);
    }
  }

  private static void assertWithdrawn(
      SoftAssertions soft,
      RedisSessions reader,
      RedisSessions a,
      RedisSessions b,
      PersonaEngine onA,
      PersonaEngine onB) {
    soft.assertThat(describe(reader)).as("in Redis").isEqualTo("denial only");
    soft.assertThat(describe(a)).as("a's copy").isEqualTo("denial only");
    soft.assertThat(describe(b)).as("b's copy").isEqualTo("denial only");
    for (PersonaEngine e : new PersonaEngine[] {onA, onB}) {
      Decision d = e.decide(Visit.builder("s").build());
      soft.assertThat(d.consent()).as("a later decision").isEqualTo(ConsentMode.REQUEST_ONLY);
      soft.assertThat(d.signal("product_views")).as("views after the withdrawal").isNull();
    }
    soft.assertAll();
  }

  private static Visit denial() {
    return Visit.builder("s").declared("consent", "denied").build();
  }

  private static long visits(RedisSessions reader) {
    return Races.visits(reader, "s");
  }

  /** Returns "denial only", or what else the sessions' state of the session holds. */
  private static String describe(RedisSessions sessions) {
    SessionState s = sessions.get("s");
    SessionSnapshot look = engine(sessions).inspect("s");
    String consent = look == null ? null : look.consent();
    return s != null && s.visits() == 0 && "denied".equals(consent)
        ? "denial only"
        : "consent " + consent + ", visits " + (s == null ? "none" : s.visits());
  }
}
