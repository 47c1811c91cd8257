package dev.persona.redis;

import static dev.persona.redis.Fixtures.CLOCK;
import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.holdsState;
import static dev.persona.redis.Fixtures.patientStore;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStoreException;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisCluster;
import dev.persona.testing.RedisServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change is never lost because Redis was slow, failed or restarted empty, and an erasure holds
 * though Redis was down when it was made: two stores are two instances of a storefront, with the
 * library's default timeouts. On one server; {@link NothingLostClusterTest} runs the same tests on
 * a Redis Cluster, where one master at a time stalls or restarts.
 */
class NothingLostTest {
  LocalRedis redis;

  /** Returns the Redis the next test runs on: a new server, empty. */
  LocalRedis startRedis() {
    return RedisServer.start();
  }

  @BeforeEach
  void start() {
    redis = startRedis();
  }

  @AfterEach
  void stop() {
    redis.close();
  }

  /** A store with the library's defaults. */
  private RedisSessionStore defaultStore() {
    return builder().build();
  }

  private RedisSessionStore.Builder builder() {
    return RedisSessionStore.builder(redis.uri()).cluster(redis.cluster());
  }

  @Test
  void changesThatTimedOut_areWrittenLater_once_evenWhenTheirWriteDidLand() throws Exception {
    alternateWhileRedisStalls(false);
  }

  @Test
  void changesWrittenBehind_areWrittenOnce_evenWhenRedisStalls() throws Exception {
    alternateWhileRedisStalls(true);
  }

  private void alternateWhileRedisStalls(boolean writeBehind) throws Exception {
    int sessions = 16;
    int requestsEach = 40;
    try (RedisSessionStore a = builder().writeBehind(writeBehind).build();
        RedisSessionStore b = builder().writeBehind(writeBehind).build()) {
      PersonaEngine[] instances = {engine(a), engine(b)};
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<Integer>> degraded = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        String id = "slow-" + s;
        degraded.add(
            pool.submit(
                () -> {
                  int flagged = 0;
                  for (int r = 0; r < requestsEach; r++) {
                    Decision d = instances[r % 2].decide(productView(id));
                    flagged += d.flags().contains(Decision.Flag.STORE_DEGRADED) ? 1 : 0;
                    RedisServer.sleep(2);
                  }
                  return flagged;
                }));
      }
      for (int i = 0; i < 4; i++) {
        RedisServer.sleep(40);
        // Every command meanwhile times out, and lands after; on a cluster, the masters stall one
        // after another, while the others answer, then all at once.
        if (redis instanceof RedisCluster cluster && i < cluster.nodes().size()) {
          cluster.nodes().get(i).pause(Duration.ofMillis(60));
        } else {
          redis.pause(Duration.ofMillis(60));
        }
      }
      int flagged = 0;
      for (Future<Integer> f : degraded) {
        flagged += f.get();
      }
      pool.shutdown();
      awaitTrue(() -> a.stats().pendingChanges() == 0 && b.stats().pendingChanges() == 0);

      if (writeBehind) {
        assertThat(a.stats().writtenBehind() + b.stats().writtenBehind()).isPositive();
      } else {
        assertThat(flagged).as("decisions that timed out").isPositive();
      }
      assertThat(a.stats().writtenLate() + b.stats().writtenLate()).isPositive();
      assertThat(a.stats().dropped() + b.stats().dropped()).isZero();
      try (RedisSessionStore c = patientStore(redis).build()) {
        PersonaEngine reader = engine(c);
        for (int s = 0; s < sessions; s++) {
          Decision d = reader.decide(Visit.builder("slow-" + s).build());
          assertThat(signal(d, "product_views")).as("views of slow-" + s).isEqualTo(requestsEach);
          assertThat(signal(d, "requests")).as("requests of slow-" + s).isEqualTo(requestsEach + 1);
        }
      }
    }
  }

  @Test
  void changesMadeWhileRedisIsDown_reachEveryInstance_whenItIsBack() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      first.decide(productView("outage"));
      second.decide(productView("outage")); // the last write before the outage is second's
      RedisServer server = redis.serverOf(a.redisKey("outage"));
      server.stop();

      for (int i = 0; i < 3; i++) {
        assertThat(first.decide(productView("outage")).flags())
            .containsExactly(Decision.Flag.STORE_DEGRADED);
      }
      assertThat(a.stats().pendingChanges()).isEqualTo(3);
      server.startAgain(); // empty: Redis lost the session too
      awaitTrue(() -> a.stats().pendingChanges() == 0);

      second.decide(productView("outage")); // degraded, if b has not reconnected yet
      awaitTrue(() -> b.stats().pendingChanges() == 0);

      try (RedisSessionStore c = patientStore(redis).build()) {
        Decision d = engine(c).decide(Visit.builder("outage").build());
        assertThat(d.flags()).isEmpty();
        assertThat(signal(d, "product_views"))
            .as("a: %s; b: %s", a.stats(), b.stats())
            .isEqualTo(6);
        assertThat(signal(d, "requests")).isEqualTo(7);
      }
      assertThat(a.stats().restored() + b.stats().restored()).isPositive();
    }
  }

  @Test
  void sessionsNoOneWritesAfterRedisLostItsData_areWrittenBack_theNewestCopy() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      for (int i = 0; i < 3; i++) {
        first.decide(productView("quiet"));
        second.decide(productView("quiet")); // b holds the newest copy: 6 views
      }
      RedisServer.sleep(1_500); // both have seen the canary
      RedisServer server = redis.serverOf(a.redisKey("quiet"));
      server.stop();
      server.startAgain();

      try (RedisSessionStore c = patientStore(redis).build()) {
        PersonaEngine reader = engine(c);
        awaitTrue(() -> holdsState(redis, c.redisKey("quiet")));
        // a second copy, had it been newer, would have replaced it; and changes wait for 2 s
        // after the first write-back, so that it can
        RedisServer.sleep(2_500);
        Decision d = reader.decide(Visit.builder("quiet").build());
        assertThat(signal(d, "product_views")).isEqualTo(6);
        assertThat(signal(d, "requests")).isEqualTo(7);
      }
      assertThat(b.stats().restored()).as("b: %s; a: %s", b.stats(), a.stats()).isEqualTo(1);
    }
  }

  @Test
  void anErasureMadeWhileRedisIsDown_holdsOnEveryInstance_whenItIsBack() {
    MutableClock clock = new MutableClock(CLOCK.instant());
    try (RedisSessionStore a = builder().clock(clock).build();
        RedisSessionStore b = builder().clock(clock).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      first.decide(productView("erase-me"));
      second.decide(productView("erase-me"));
      first.decide(productView("erase-me"));
      String key = a.redisKey("erase-me");
      RedisServer server = redis.serverOf(key);
      server.stop();
      clock.advance(Duration.ofSeconds(1));
      second.decide(productView("erase-me")); // a change made before the erasure, waiting on b
      clock.advance(Duration.ofSeconds(1));

      first.forget("erase-me"); // waits in the queue
      assertThat(a.stats().pendingErasures()).isEqualTo(1);
      Decision meanwhile = first.decide(productView("erase-me"));
      assertThat(signal(meanwhile, "requests")).as("erased state used meanwhile").isEqualTo(1);

      server.startAgain();
      awaitTrue(() -> a.stats().pendingErasures() == 0 && b.stats().pendingChanges() == 0);
      clock.advance(Duration.ofSeconds(1));
      Decision after = second.decide(productView("erase-me"));

      assertThat(signal(after, "requests")).as("requests after the erasure").isEqualTo(2);
      assertThat(signal(after, "product_views")).isCloseTo(2, within(0.01));
      assertThat(holdsState(redis, key)).isTrue();
    }
  }

  @Test
  void aQueuedErasure_inTheMillisecondOfTheVisitsAroundIt_erasesTheOneBefore_andKeepsTheOneAfter() {
    // the engines' clocks stand still, as a storefront's do within a millisecond
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      first.decide(productView("same-ms"));
      String key = a.redisKey("same-ms");
      RedisServer server = redis.serverOf(key);
      server.stop();
      second.decide(productView("same-ms")); // before the erasure, waiting on b
      first.forget("same-ms"); // waiting on a
      second.decide(productView("same-ms")); // after it, waiting on b
      server.startAgain();
      awaitTrue(() -> a.stats().pendingErasures() == 0 && b.stats().pendingChanges() == 0);

      try (RedisSessionStore c = patientStore(redis).build()) {
        Decision d = engine(c).decide(Visit.builder("same-ms").build());
        assertThat(signal(d, "product_views")).as("views after the erasure").isEqualTo(1);
        assertThat(signal(d, "requests")).isEqualTo(2);
      }
    }
  }

  @Test
  void aCopyAnotherInstanceErased_isNotUsed_whenRedisIsSlowNext() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      first.decide(productView("erased-elsewhere"));
      first.decide(productView("erased-elsewhere"));
      second.decide(productView("erased-elsewhere")); // b holds a copy of 3 requests
      first.forget("erased-elsewhere"); // Redis tells b that the key changed
      RedisServer.sleep(100);

      redis.pause(Duration.ofMillis(400));
      Decision degraded = second.decide(productView("erased-elsewhere"));

      assertThat(degraded.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
      assertThat(signal(degraded, "requests")).as("requests seen while degraded").isEqualTo(1);
    }
  }

  @Test
  void aCopyHeldWhileRedisIsDown_isNotUsed_sinceAnotherInstanceMayHaveErasedIt() {
    MutableClock clock = new MutableClock(CLOCK.instant());
    try (RedisSessionStore a = builder().clock(clock).build();
        RedisSessionStore b = builder().clock(clock).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      first.decide(productView("held"));
      second.decide(productView("held")); // b holds a copy of 2 requests
      RedisServer server = redis.serverOf(a.redisKey("held"));
      server.stop();
      clock.advance(Duration.ofSeconds(1));
      first.forget("held"); // waits in a's queue; b cannot know

      clock.advance(Duration.ofSeconds(1));
      Decision meanwhile = second.decide(productView("held"));
      assertThat(meanwhile.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
      assertThat(signal(meanwhile, "requests")).as("requests seen while down").isEqualTo(1);

      server.startAgain();
      awaitTrue(() -> a.stats().pendingErasures() == 0 && b.stats().pendingChanges() == 0);
      clock.advance(Duration.ofSeconds(1));
      Decision after = second.decide(productView("held"));
      assertThat(signal(after, "requests")).as("requests after the erasure").isEqualTo(2);
    }
  }

  @Test
  void changesMadeAfterAnErasureThatLandsLater_areWrittenAgain_onTheTombstone() {
    // a's clock is behind b's: a's erasure was made before b's changes, but lands after them, as
    // an erasure that waited in a's queue while Redis was slow for a does
    MutableClock behind = new MutableClock(CLOCK.instant());
    MutableClock ahead = new MutableClock(CLOCK.instant().plusSeconds(2));
    try (RedisSessionStore a = builder().clock(behind).build();
        RedisSessionStore b = builder().clock(ahead).build();
        RedisSessionStore reader = patientStore(redis).build()) {
      PersonaEngine first = engineOn(a, behind);
      PersonaEngine second = engineOn(b, ahead);
      first.decide(productView("late"));
      first.decide(productView("late")); // made before the erasure: erased
      second.decide(productView("late"));
      second.decide(productView("late")); // made after it: kept

      behind.advance(Duration.ofSeconds(1));
      first.forget("late");

      awaitTrue(() -> reader.get("late") != null && reader.get("late").visits() == 2);
      RedisServer.sleep(200); // nothing else lands
      assertThat(reader.get("late").visits()).as("visits after the erasure").isEqualTo(2);
      Decision d = engineOn(reader, ahead).decide(Visit.builder("late").build());
      assertThat(signal(d, "product_views")).isCloseTo(2, within(0.01));
    }
  }

  @Test
  void changesWrittenAgainOnALateTombstone_areWrittenBack_whenRedisLosesItsData() {
    MutableClock behind = new MutableClock(CLOCK.instant());
    MutableClock ahead = new MutableClock(CLOCK.instant().plusSeconds(2));
    try (RedisSessionStore a = builder().clock(behind).build();
        RedisSessionStore b = builder().clock(ahead).build();
        RedisSessionStore reader = patientStore(redis).build()) {
      PersonaEngine first = engineOn(a, behind);
      PersonaEngine second = engineOn(b, ahead);
      first.decide(productView("late"));
      second.decide(productView("late")); // made after the erasure below: kept
      behind.advance(Duration.ofSeconds(1));
      first.forget("late");
      try {
        awaitTrue(() -> reader.get("late") != null && reader.get("late").visits() == 1);
      } catch (AssertionError e) {
        // intermittent under heavy load: say what each instance did, and what Redis holds
        throw new AssertionError(
            "b: " + b.stats() + "; a: " + a.stats() + "; in Redis: " + reader.get("late"), e);
      }
      RedisServer.sleep(1_500); // both have seen the canary

      RedisServer server = redis.serverOf(a.redisKey("late"));
      server.stop();
      server.startAgain(); // empty: b, which wrote its change again, holds the only copy

      try {
        awaitTrue(() -> holdsState(redis, a.redisKey("late")));
      } catch (AssertionError e) {
        throw new AssertionError("b: " + b.stats() + "; a: " + a.stats(), e);
      }
      try (RedisSessionStore after = patientStore(redis).build()) {
        assertThat(after.get("late").visits()).as("b: %s", b.stats()).isEqualTo(1);
      }
    }
  }

  @Test
  void forgetUserWhileRedisIsDown_erasesWhatCameBefore_andKeepsWhatCameAfter() {
    MutableClock clock = new MutableClock(CLOCK.instant());
    try (RedisSessionStore a = builder().clock(clock).build();
        RedisSessionStore b = builder().clock(clock).build();
        RedisSessionStore reader = patientStore(redis).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      Visit signedIn = Visit.builder("shared").userId("u9").event(Event.of("product_view")).build();
      first.decide(Visit.builder("shared").event(Event.of("product_view")).build());
      second.decide(signedIn); // only b knows the user
      RedisServer.sleep(1_500); // both have seen the canary
      redis.servers().forEach(RedisServer::stop); // on a cluster, every master
      clock.advance(Duration.ofSeconds(1));
      first.forgetUser("u9"); // waits in a's queue

      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < 3; i++) {
        second.decide(signedIn);
        first.decide(signedIn);
      }
      // empty: b writes back its copy, a erases, both write what came after
      redis.servers().forEach(RedisServer::startAgain);
      awaitTrue(
          () ->
              a.stats().pendingChanges() + b.stats().pendingChanges() == 0
                  && a.stats().pendingErasures() + b.stats().pendingErasures() == 0);
      RedisServer.sleep(3_000); // what may still land: write-backs, re-checks

      assertThat(reader.get("shared")).isNotNull();
      assertThat(reader.get("shared").visits()).as("visits after the erasure").isEqualTo(6);
    }
  }

  @Test
  void aCopyNoOneChanged_isReadWithoutARoundTrip_andOneAnotherInstanceChanged_isReadAgain() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = patientStore(redis).maxStaleness(Duration.ZERO).build()) {
      PersonaEngine first = engine(a);
      List<String> sessions = Fixtures.onEveryThird(a, "read-me-"); // on every master
      for (String id : sessions) {
        first.decide(productView(id));
        awaitWritten(a);
        awaitCurrentCopy(b, id);
      }
      long misses = b.stats().nearCacheMisses();
      long scripts = scriptsRun();

      for (String id : sessions) {
        assertThat(b.get(id).visits()).as(id).isEqualTo(1);
      }
      assertThat(b.stats().nearCacheMisses()).isEqualTo(misses);
      assertThat(scriptsRun()).as("scripts Redis ran for the reads").isEqualTo(scripts);

      for (String id : sessions) {
        first.decide(productView(id)); // Redis tells b
      }
      awaitWritten(a);
      RedisServer.sleep(100);
      for (String id : sessions) {
        assertThat(b.get(id).visits()).as(id).isEqualTo(2);
      }
      assertThat(b.stats().nearCacheMisses()).isEqualTo(misses + sessions.size());
    }
  }

  @Test
  void aCopyIsReadAgain_afterTheConnectionThatReportsChangesWasLost_andThenTrustedAgain() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = patientStore(redis).maxStaleness(Duration.ZERO).build()) {
      PersonaEngine first = engine(a);
      first.decide(productView("dropped"));
      awaitWritten(a);
      awaitCurrentCopy(b, "dropped");
      RedisServer server = redis.serverOf(a.redisKey("dropped"));

      // Every client's connection to the session's server (its master) is closed; they reconnect.
      long misses = b.stats().nearCacheMisses();
      server.admin(r -> r.clientKill(KillArgs.Builder.typeNormal()));
      RedisServer.sleep(100);
      assertThat(readThroughReconnect(b, "dropped").visits()).isEqualTo(1);
      assertThat(b.stats().nearCacheMisses())
          .as("a change may have gone unreported: the copy is read again")
          .isGreaterThan(misses);

      awaitCurrentCopy(b, "dropped"); // Redis reports changes again
      first.decide(productView("dropped")); // written at once, or by a's writer once a reconnected
      awaitWritten(a);
      RedisServer.sleep(100);
      misses = b.stats().nearCacheMisses();
      assertThat(b.get("dropped").visits()).isEqualTo(2);
      assertThat(b.stats().nearCacheMisses()).isEqualTo(misses + 1);
    }
  }

  /** Waits until the store wrote every change, as when a decision timed out on a busy machine. */
  private static void awaitWritten(RedisSessionStore store) {
    awaitTrue(() -> store.stats().pendingChanges() == 0);
  }

  /** Reads until Redis answers, as the store may not have reconnected yet; each read counts. */
  private static SessionState readThroughReconnect(RedisSessionStore store, String sessionId) {
    SessionState[] read = new SessionState[1];
    awaitTrue(
        () -> {
          try {
            read[0] = store.get(sessionId);
            return true;
          } catch (SessionStoreException e) {
            return false; // not connected yet: read again
          }
        });
    return read[0];
  }

  /** Reads until the store answers from its copy, which it does once Redis reports changes. */
  private static void awaitCurrentCopy(RedisSessionStore store, String sessionId) {
    awaitTrue(
        () -> {
          long misses = store.stats().nearCacheMisses();
          try {
            store.get(sessionId);
          } catch (SessionStoreException e) {
            return false; // Redis was slow: read again
          }
          return store.stats().nearCacheMisses() == misses;
        });
  }

  /** Returns how many scripts every server ran: sessions are read and written only by scripts. */
  private long scriptsRun() {
    long calls = 0;
    for (RedisServer server : redis.servers()) {
      String info = server.admin(r -> r.info("commandstats"));
      Matcher m = Pattern.compile("cmdstat_(?:evalsha|eval):calls=(\\d+)").matcher(info);
      while (m.find()) {
        calls += Long.parseLong(m.group(1));
      }
    }
    return calls;
  }

  @Test
  void forgetUserAfterRedisLostItsData_erasesASessionAnotherInstanceWritesBack() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      PersonaEngine first = engine(a);
      PersonaEngine second = engine(b);
      first.decide(Visit.builder("signed").userId("u1").event(Event.of("product_view")).build());
      second.decide(productView("signed")); // b holds the newest copy; only a linked it to u1
      RedisServer.sleep(1_500); // both have seen the canary
      RedisServer server = redis.serverOf(a.redisKey("signed"));
      server.stop();
      server.startAgain(); // empty: the user's set is gone too

      try (RedisSessionStore c = patientStore(redis).build()) {
        engine(c).forgetUser("u1"); // finds no session: none is linked yet
        if (!redis.cluster()) { // on a cluster the set lives on another master, which kept it
          // b writes back its copy, or a's link lands first and erases the session (then b's
          // write-back is refused): either way the key is back, as a state or a tombstone
          String key = a.redisKey("signed");
          awaitTrue(
              () -> redis.commands(r -> r.exists(key.getBytes(StandardCharsets.UTF_8))) == 1L);
        }
        RedisServer.sleep(2_500); // the write-backs' hold, and a's link

        Decision d = engine(c).decide(Visit.builder("signed").build());
        assertThat(signal(d, "requests")).as("a: %s; b: %s", a.stats(), b.stats()).isEqualTo(1);
        assertThat(signal(d, "product_views")).isNotPositive();
      }
    }
  }

  @Test
  void aSessionKeyFoundGone_thatThisInstanceWroteWithinItsTtl_isTakenForLostData() {
    // the same code on a cluster; its changes wait 30 s for a copy to be written back
    assumeFalse(redis.cluster());
    try (RedisSessionStore a = defaultStore()) {
      PersonaEngine instance = engine(a);
      instance.decide(productView("vanished"));
      instance.decide(productView("vanished"));
      String key = a.redisKey("vanished");
      // as an AOF restart that lost the last second loses a key but keeps the canary: only the
      // write finds it; an erasure of it may wait on an instance that is not back yet
      redis.commands(r -> r.del(key.getBytes(StandardCharsets.UTF_8)));

      Decision d = instance.decide(productView("vanished"));
      assertThat(d.flags()).contains(Decision.Flag.STORE_DEGRADED);
      assertThat(holdsState(redis, key)).as("nothing written on the key meanwhile").isFalse();
      awaitTrue(() -> a.stats().pendingChanges() == 0, 45); // once no copy will come back
      Decision later = instance.decide(productView("vanished"));
      assertThat(later.flags()).isEmpty();
      // 2: the change that waited and this one; 4 if the copy was written back first, when the
      // report of the key's deletion came after the write that found it gone
      assertThat(signal(later, "requests")).isIn(2.0, 4.0);
    }
  }

  @Test
  void forgetUser_erasesTheUsersSessions_fromAnInstanceThatNeverServedThem() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      PersonaEngine served = engine(a);
      served.decide(Visit.builder("phone").userId("u1").event(Event.of("product_view")).build());
      served.decide(Visit.builder("laptop").userId("u1").event(Event.of("product_view")).build());
      served.decide(Visit.builder("other").userId("u2").event(Event.of("product_view")).build());

      assertThat(engine(b).forgetUser("u1")).isEqualTo(2);

      assertThat(holdsState(redis, a.redisKey("phone"))).isFalse();
      assertThat(holdsState(redis, a.redisKey("laptop"))).isFalse();
      assertThat(holdsState(redis, a.redisKey("other"))).isTrue();
      assertThat(signal(served.decide(productView("phone")), "requests")).isEqualTo(1);
    }
  }

  private static PersonaEngine engineOn(RedisSessionStore store, MutableClock clock) {
    return PersonaEngine.builder()
        .ruleSet(Fixtures.RULES)
        .clock(clock)
        .sessions(SessionConfig.store(store).build())
        .build();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    awaitTrue(condition, 20);
  }

  private static void awaitTrue(BooleanSupplier condition, int seconds) {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within " + seconds + " s");
      }
      RedisServer.sleep(10);
    }
  }

  /** Returns whether the condition holds; not yet when the test's own look at Redis failed. */
  private static boolean holds(BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (RedisException e) {
      return false; // a master that restarted answers CLUSTERDOWN for about 2 s
    }
  }
}
