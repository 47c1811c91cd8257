package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.answers;
import static dev.persona.redis.internal.Races.awaitTrue;
import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.link;
import static dev.persona.redis.internal.Races.productView;
import static dev.persona.redis.internal.Races.visits;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Reports of this instance's own writes are told from other instances' by the copy's version token,
 * not by their order (issue 16): another instance's report heard after this instance's conflicting
 * answer and retry leaves the retry's copy current and written back after Redis lost its data; an
 * erasure reported in one report with this instance's write is not taken for that write. The
 * copies' staleness bound is zero, so a read answers from a copy only while it is known current.
 */
final class OwnReportsTest extends WithRedis {
  @Test
  void aReportOfManyKeysThisInstanceWrote_isCheckedInOneScript_andLeavesEachCopyCurrent() {
    try (RedisLink linkB = link(redis.uri());
        RedisSessions b = Races.patient(linkB)) {
      PersonaEngine onB = engine(b);
      List<String> ids = List.of("s1", "s2", "s3");
      List<byte[]> keys = new java.util.ArrayList<>();
      for (String id : ids) {
        onB.decide(productView(id));
        keys.add(b.key(id).getBytes(StandardCharsets.UTF_8));
      }
      RedisServer.sleep(300); // the writes' own reports heard and checked
      AtomicInteger checks = new AtomicInteger();
      b.probe(
          point -> {
            if (point.equals("checked")) {
              checks.incrementAndGet();
            }
          });

      b.reported(keys); // one report of the three, as Redis sends a cycle's writes
      awaitTrue(() -> checks.get() > 0, 5);
      RedisServer.sleep(100);

      assertThat(checks.get()).as("answers: one script for the three keys").isEqualTo(1);
      long misses = b.counters()[1];
      for (String id : ids) {
        assertThat(b.get(id).visits()).isEqualTo(1);
      }
      assertThat(b.counters()[1]).as("each copy is read without a round trip").isEqualTo(misses);
    }
  }

  @Test
  void anothersReportHeardAfterThisInstancesConflictAndRetry_leavesTheCopyCurrent_andWrittenBack()
      throws Exception {
    try (RedisSessions a = Races.patient(link(redis.uri()));
        RedisLink linkB = link(redis.uri());
        RedisSessions b = Races.patient(linkB);
        RedisSessions reader = Races.patient(link(redis.uri()))) {
      PersonaEngine onA = engine(a);
      PersonaEngine onB = engine(b);
      onB.decide(productView("s"));
      onA.decide(productView("s")); // b's copy is stale: its next write conflicts, then retries
      byte[] key = b.key("s").getBytes(StandardCharsets.UTF_8);
      AtomicBoolean late = new AtomicBoolean(true);
      AtomicInteger checked = new AtomicInteger();
      CountDownLatch checkedAfter = new CountDownLatch(1);
      b.probe(
          point -> {
            if (point.equals("answer") && late.compareAndSet(true, false)) {
              // the retry landed; the report of a's write comes only now, as Redis sends it when
              // a's write and b's conflicting compare-and-set ran in one event-loop cycle
              checked.set(0);
              b.reported(List.of(key));
            } else if (point.equals("checked") && checked.incrementAndGet() == 1 && !late.get()) {
              checkedAfter.countDown();
            } else if (point.equals("written") && !late.get()) {
              // the check of that report comes back before the retry's copy is kept
              await(checkedAfter);
            }
          });
      onB.decide(productView("s"));
      assertThat(late.get()).as("b's retry landed").isFalse();
      assertThat(b.counters()[2]).as("b's conflicts").isEqualTo(1);
      RedisServer.sleep(300); // b's own report heard and checked

      long misses = b.counters()[1];
      assertThat(b.get("s").visits()).isEqualTo(3);
      assertThat(b.counters()[1]).as("b's copy is read without a round trip").isEqualTo(misses);

      Races.awaitWatchingForLoss(a, b); // both writers have read the canary
      redis.stop();
      redis.startAgain(); // empty: b wrote last and holds the only current copy
      awaitTrue(() -> answers(linkB));
      awaitTrue(() -> visits(reader, "s") == 3, 30);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> b.counters()[10] > 0, 5);
      assertThat(b.counters()[10]).as("b's copy written back").isEqualTo(1);
      assertThat(a.counters()[10]).as("a's copy, which b's write changed").isZero();
    }
  }

  @Test
  void anErasureInTheSameReportAsThisInstancesWrite_isNotTakenForThatWrite() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RedisSessions a = Races.patient(link(redis.uri()));
        RedisSessions b = Races.patient(link(redis.uri()))) {
      PersonaEngine onB = engine(b);
      onB.decide(productView("m")); // b holds the newest copy
      // Redis stands still; b's write, then a's erasure, are read after it in one event-loop
      // cycle: Redis reports the key once for both
      redis.pause(Duration.ofMillis(500));
      CountDownLatch sending = new CountDownLatch(1);
      b.probe(
          point -> {
            if (point.equals("cas")) {
              sending.countDown();
            }
          });
      Future<?> write = pool.submit(() -> onB.decide(productView("m")));
      // b's write is on its way before a's erasure is sent, however busy the machine
      assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();
      RedisServer.sleep(100);
      Future<?> erase = pool.submit(() -> a.remove("m"));
      write.get(10, TimeUnit.SECONDS);
      erase.get(10, TimeUnit.SECONDS);
      assertThat(b.counters()[2]).as("b's write landed first: no conflict").isZero();
      RedisServer.sleep(300); // the report heard and checked

      assertThat(b.get("m")).as("the erased state").isNull();
      assertThat(onB.decide(Visit.builder("m").build()).signal("requests").value())
          .as("requests the next decision sees")
          .isEqualTo(1.0);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aCopyWhoseOwnReportWasStillBeingChecked_whenRedisLostItsData_isWrittenBack() {
    // the choice documented on ChangeReports.unchangedUntilSealed
    AtomicBoolean noAnswer = new AtomicBoolean();
    try (RedisLink linkB = link(redis.uri());
        RedisSessions b = Races.patient(linkB);
        RedisSessions reader = Races.patient(link(redis.uri()))) {
      b.probe(
          point -> {
            if (point.equals("check") && noAnswer.get()) {
              throw new IllegalStateException("the check's answer never comes");
            }
          });
      PersonaEngine onB = engine(b);
      onB.decide(productView("u"));
      Races.awaitWatchingForLoss(b); // b's writer has read the canary
      noAnswer.set(true);
      onB.decide(productView("u")); // its report heard; its check has no answer
      RedisServer.sleep(100);
      redis.stop(); // within a second of the report
      redis.startAgain();
      awaitTrue(() -> answers(linkB));
      awaitTrue(() -> visits(reader, "u") == 2, 30);
      // the counter is bumped once the write-back's answer is read, maybe after the reader saw it
      awaitTrue(() -> b.counters()[10] > 0, 5);
      assertThat(b.counters()[10]).as("b's copy written back").isEqualTo(1);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).as("the check answered").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
