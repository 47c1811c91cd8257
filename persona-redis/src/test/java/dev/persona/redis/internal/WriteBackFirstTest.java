package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.sessions;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.testing.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Redis restarts empty; one instance holds the newest copy of a session and will write it back,
 * another instance, which never held the session, gets a request of it first. That request must not
 * keep the copy out (the session's whole history lost): before the instance found the loss, its
 * change waits until it has; after, it is written provisionally, the copy written back replaces it,
 * and the change is written again on the copy. The background writers are held before they look at
 * Redis ({@link RedisSessions.Probe} point {@code "idle"}), so that the order is the one under
 * test.
 */
final class WriteBackFirstTest extends WithRedis {
  @Test
  void aRequestOfASessionThisInstanceNeverHeld_beforeAnyoneFoundTheLoss_waitsForTheWriteBack()
      throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    Races.Gate idleB = new Races.Gate("idle");
    try (RedisSessions a = sessions(redis.uri(), false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = sessions(linkB, false, 1_000);
        RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      a.probe(idleA::at);
      b.probe(idleB::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      for (int i = 0; i < 3; i++) {
        onA.decide(productView("quiet")); // a holds the newest copy
      }
      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      idleA.arm();
      idleB.arm();
      idleA.awaitReached();
      idleB.awaitReached(); // neither writer looks at Redis again until opened
      try {
        redis.stop();
        redis.startAgain(); // empty
        awaitTrue(() -> answers(linkB));
        Decision first = onB.decide(productView("quiet"));
        assertThat(first.flags())
            .as("b's request waits for a's copy: it finds that Redis lost its data")
            .contains(Decision.Flag.STORE_DEGRADED);
      } finally {
        idleA.open();
        idleB.open();
      }
      awaitTrue(() -> b.counters()[6] == 0 && visits(reader, "quiet") == 4);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> a.counters()[10] > 0, 5);
      assertThat(a.counters()[10]).as("a's copy written back").isEqualTo(1);
    }
  }

  @Test
  void aRequestOfASessionThisInstanceNeverHeld_afterItFoundTheLoss_landsAgainOnTheCopyWrittenBack()
      throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = sessions(linkB, false, 1_000);
        RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      a.probe(idleA::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      for (int i = 0; i < 3; i++) {
        onA.decide(productView("quiet"));
      }
      RedisServer.sleep(1_500);
      idleA.arm();
      idleA.awaitReached(); // a is slow to find the loss; b finds it at once
      try {
        redis.stop();
        redis.startAgain();
        awaitTrue(() -> answers(linkB));
        // b's writer finds the loss when idle; the 2 s every change waits for then pass
        RedisServer.sleep(3_500);
        // a session b never held, with an empty key: b cannot tell it from a new one, and writes
        // its change on it, provisionally
        Decision first = onB.decide(productView("quiet"));
        assertThat(first.flags()).isEmpty();
        assertThat(visits(reader, "quiet")).isEqualTo(1);
      } finally {
        idleA.open();
      }
      // a's copy replaces the provisional state; b writes its change again on it
      awaitTrue(() -> visits(reader, "quiet") == 4, 30);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> a.counters()[10] > 0, 5);
      assertThat(a.counters()[10]).as("a's copy written back").isEqualTo(1);
      assertThat(b.counters()[6]).as("b's changes waiting").isZero();
      assertThat(onB.decide(Visit.builder("quiet").build()).signal("product_views").value())
          .as("each view once: a's three and b's")
          .isEqualTo(4.0);
    }
  }

  /**
   * As above, and a request of the session comes to a, which holds the copy, before its writer
   * found the loss: its write finds b's provisional state where its copy was. On main it applied
   * its change to that state, and a's three views were lost (the outage load run's sessions begun
   * just before the kill that lost their first visit, answered before the kill). b's writer is held
   * until a's change landed on the copy, after the write-back's hold: that write removed the mark
   * of a copy written back, which b looked for to write its change again (4 visits of 5 then).
   */
  @Test
  void aRequestOnTheInstanceWithTheCopy_findingAProvisionalState_writesTheCopyBackFirst()
      throws Exception {
    Races.Gate idleA = new Races.Gate("idle");
    Races.Gate roundB = new Races.Gate("round");
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = sessions(linkA, false, 1_000);
        RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = sessions(linkB, false, 1_000);
        RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      a.probe(idleA::at);
      b.probe(roundB::at);
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      for (int i = 0; i < 3; i++) {
        onA.decide(productView("quiet"));
      }
      RedisServer.sleep(1_500);
      idleA.arm();
      idleA.awaitReached(); // a's writer does not find the loss
      try {
        redis.stop();
        redis.startAgain();
        awaitTrue(() -> answers(linkA) && answers(linkB));
        RedisServer.sleep(3_500); // b found the loss; the 2 s every change waits for passed
        assertThat(onB.decide(productView("quiet")).flags()).isEmpty(); // provisional
        roundB.arm(); // b's writer writes nothing until a's change landed
        assertThat(onA.decide(productView("quiet")).flags())
            .as("finds the provisional state: a's copy goes first, the change waits")
            .contains(Decision.Flag.STORE_DEGRADED);
      } finally {
        idleA.open();
      }
      try {
        roundB.awaitReached(); // b heard of the write-back, and is to write its change again
        awaitTrue(() -> a.counters()[6] == 0, 30);
        assertThat(visits(reader, "quiet")).as("a's copy and a's change").isEqualTo(4);
      } finally {
        roundB.open();
      }
      awaitTrue(() -> b.counters()[6] == 0, 30);
      awaitTrue(() -> visits(reader, "quiet") == 5, 30);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> a.counters()[10] > 0, 5);
      assertThat(a.counters()[10]).as("a's copy written back").isEqualTo(1);
    }
  }

  @Test
  void aNewSessionAfterRedisLostItsData_isWrittenAtOnce_andStaysWhenNoCopyComes() throws Exception {
    try (RedisLink linkB = Races.link(redis.uri());
        RedisSessions b = sessions(linkB, false, 1_000);
        RedisSessions reader = sessions(redis.uri(), false, 1_000)) {
      PersonaEngine onB = engine(b);
      onB.decide(productView("other"));
      RedisServer.sleep(1_500);
      redis.stop();
      redis.startAgain();
      awaitTrue(() -> answers(linkB));
      RedisServer.sleep(3_500); // b found the loss and the changes' wait is over
      Decision d = onB.decide(productView("new"));
      assertThat(d.flags()).as("a new session's change is not held back").isEmpty();
      onB.decide(productView("new"));
      assertThat(visits(reader, "new")).isEqualTo(2);
    }
  }

  @Test
  void changesWrittenBeforeAnErasure_doNotComeBack_onACopyWrittenBackAfterRedisLostItsData()
      throws Exception {
    try (RedisLink linkA = Races.link(redis.uri());
        RedisSessions a = sessions(linkA, false, 1_000);
        RedisSessions b = sessions(redis.uri(), false, 1_000)) {
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onA.decide(productView("erased"));
      onA.decide(productView("erased")); // a wrote these lately
      onB.forget("erased");
      onB.decide(productView("erased")); // b holds the newest copy: one view, after the erasure
      RedisServer.sleep(1_500);
      redis.stop();
      redis.startAgain();
      awaitTrue(() -> answers(linkA));
      awaitTrue(() -> b.counters()[10] == 1, 30); // b's copy written back
      RedisServer.sleep(2_500); // the write-back's hold is over
      onA.decide(productView("erased"));
      awaitTrue(() -> a.counters()[6] == 0, 30);
      assertThat(onB.decide(Visit.builder("erased").build()).signal("product_views").value())
          .as("b's view after the erasure and a's last one; none from before the erasure")
          .isEqualTo(2.0);
    }
  }
}
