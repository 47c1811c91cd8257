package dev.persona.redis;

import static dev.persona.redis.Fixtures.CLOCK;
import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.holdsState;
import static dev.persona.redis.Fixtures.patientStore;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.config.SessionConfig;
import dev.persona.testing.MutableClock;
import dev.persona.testing.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A change is never lost because Redis was slow, failed or restarted empty, and an erasure holds
 * though Redis was down when it was made: two stores are two instances of a storefront, with the
 * library's default timeouts.
 */
final class NothingLostTest {
  private RedisServer redis;

  @BeforeEach
  void startRedis() {
    redis = RedisServer.start();
  }

  @AfterEach
  void stopRedis() {
    redis.close();
  }

  /** A store with the library's defaults, but for the clock erasures are stamped with. */
  private RedisSessionStore defaultStore() {
    return RedisSessionStore.builder(redis.uri()).clock(CLOCK).build();
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
    try (RedisSessionStore a =
            RedisSessionStore.builder(redis.uri()).clock(CLOCK).writeBehind(writeBehind).build();
        RedisSessionStore b =
            RedisSessionStore.builder(redis.uri()).clock(CLOCK).writeBehind(writeBehind).build()) {
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
        redis.pause(Duration.ofMillis(60)); // every command meanwhile times out, and lands after
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
      redis.stop();

      for (int i = 0; i < 3; i++) {
        assertThat(first.decide(productView("outage")).flags())
            .containsExactly(Decision.Flag.STORE_DEGRADED);
      }
      assertThat(a.stats().pendingChanges()).isEqualTo(3);
      redis.startAgain(); // empty: Redis lost the session too
      awaitTrue(() -> a.stats().pendingChanges() == 0);

      second.decide(productView("outage")); // degraded, if b has not reconnected yet
      awaitTrue(() -> b.stats().pendingChanges() == 0);

      try (RedisSessionStore c = patientStore(redis).build()) {
        Decision d = engine(c).decide(Visit.builder("outage").build());
        assertThat(d.flags()).isEmpty();
        assertThat(signal(d, "product_views")).isEqualTo(6);
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
      redis.stop();
      redis.startAgain();

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
      assertThat(b.stats().restored()).isEqualTo(1);
    }
  }

  @Test
  void anErasureMadeWhileRedisIsDown_holdsOnEveryInstance_whenItIsBack() {
    MutableClock clock = new MutableClock(CLOCK.instant());
    try (RedisSessionStore a = RedisSessionStore.builder(redis.uri()).clock(clock).build();
        RedisSessionStore b = RedisSessionStore.builder(redis.uri()).clock(clock).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      first.decide(productView("erase-me"));
      second.decide(productView("erase-me"));
      first.decide(productView("erase-me"));
      String key = a.redisKey("erase-me");
      redis.stop();
      clock.advance(Duration.ofSeconds(1));
      second.decide(productView("erase-me")); // a change made before the erasure, waiting on b
      clock.advance(Duration.ofSeconds(1));

      first.forget("erase-me"); // waits in the queue
      assertThat(a.stats().pendingErasures()).isEqualTo(1);
      Decision meanwhile = first.decide(productView("erase-me"));
      assertThat(signal(meanwhile, "requests")).as("erased state used meanwhile").isEqualTo(1);

      redis.startAgain();
      awaitTrue(() -> a.stats().pendingErasures() == 0 && b.stats().pendingChanges() == 0);
      clock.advance(Duration.ofSeconds(1));
      Decision after = second.decide(productView("erase-me"));

      assertThat(signal(after, "requests")).as("requests after the erasure").isEqualTo(2);
      assertThat(signal(after, "product_views")).isCloseTo(2, within(0.01));
      assertThat(holdsState(redis, key)).isTrue();
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
    try (RedisSessionStore a = RedisSessionStore.builder(redis.uri()).clock(clock).build();
        RedisSessionStore b = RedisSessionStore.builder(redis.uri()).clock(clock).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      first.decide(productView("held"));
      second.decide(productView("held")); // b holds a copy of 2 requests
      redis.stop();
      clock.advance(Duration.ofSeconds(1));
      first.forget("held"); // waits in a's queue; b cannot know

      clock.advance(Duration.ofSeconds(1));
      Decision meanwhile = second.decide(productView("held"));
      assertThat(meanwhile.flags()).containsExactly(Decision.Flag.STORE_DEGRADED);
      assertThat(signal(meanwhile, "requests")).as("requests seen while down").isEqualTo(1);

      redis.startAgain();
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
    try (RedisSessionStore a = RedisSessionStore.builder(redis.uri()).clock(behind).build();
        RedisSessionStore b = RedisSessionStore.builder(redis.uri()).clock(ahead).build();
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
  void forgetUserWhileRedisIsDown_erasesWhatCameBefore_andKeepsWhatCameAfter() {
    MutableClock clock = new MutableClock(CLOCK.instant());
    try (RedisSessionStore a = RedisSessionStore.builder(redis.uri()).clock(clock).build();
        RedisSessionStore b = RedisSessionStore.builder(redis.uri()).clock(clock).build();
        RedisSessionStore reader = patientStore(redis).build()) {
      PersonaEngine first = engineOn(a, clock);
      PersonaEngine second = engineOn(b, clock);
      Visit signedIn = Visit.builder("shared").userId("u9").event(Event.of("product_view")).build();
      first.decide(Visit.builder("shared").event(Event.of("product_view")).build());
      second.decide(signedIn); // only b knows the user
      RedisServer.sleep(1_500); // both have seen the canary
      redis.stop();
      clock.advance(Duration.ofSeconds(1));
      first.forgetUser("u9"); // waits in a's queue

      clock.advance(Duration.ofSeconds(1));
      for (int i = 0; i < 3; i++) {
        second.decide(signedIn);
        first.decide(signedIn);
      }
      redis.startAgain(); // empty: b writes back its copy, a erases, both write what came after
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
  void aCopyNoOneChanged_isReadWithoutARoundTrip() {
    try (RedisSessionStore a = defaultStore();
        RedisSessionStore b = defaultStore()) {
      engine(a).decide(productView("read-me"));
      b.get("read-me");
      RedisServer.sleep(1_200); // older than maxStaleness
      long misses = b.stats().nearCacheMisses();

      b.get("read-me");
      assertThat(b.stats().nearCacheMisses()).isEqualTo(misses);

      engine(a).decide(productView("read-me")); // Redis tells b
      RedisServer.sleep(100);
      b.get("read-me");
      assertThat(b.stats().nearCacheMisses()).isEqualTo(misses + 1);
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
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not done within 20 s");
      }
      RedisServer.sleep(10);
    }
  }
}
