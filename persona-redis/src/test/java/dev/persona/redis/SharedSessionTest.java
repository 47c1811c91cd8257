package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static dev.persona.redis.Fixtures.patientStore;
import static dev.persona.redis.Fixtures.productView;
import static dev.persona.redis.Fixtures.signal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.PersonaEngine;
import dev.persona.Visit;
import dev.persona.spi.SessionState;
import dev.persona.testing.LocalRedis;
import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two engines, as two instances behind a load balancer without sticky sessions, on one Redis
 * server; {@link SharedSessionClusterTest} runs the same tests on a Redis Cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedSessionTest {
  LocalRedis redis;

  /** Starts the Redis the tests run on. */
  LocalRedis startRedis() {
    return RedisServer.start();
  }

  @BeforeAll
  void start() {
    redis = startRedis();
  }

  @AfterAll
  void stop() {
    redis.close();
  }

  @Test
  void aChangeThatChangesNothing_returnsTheStoredState_notAFreshOne() {
    // as the engine's changes do when applied again, or when a visit meets a denial of consent it
    // leaves as it is: the state comes back as it was given
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      engine(a).decide(productView("unchanged"));
      SessionState stored = a.get("unchanged");
      assertThat(stored).isNotNull();

      assertThat(a.update("unchanged", s -> s)).isEqualTo(stored); // a copy known current
      assertThat(b.update("unchanged", s -> s)).isEqualTo(stored); // read in the compare-and-set
      assertThat(a.get("unchanged")).isEqualTo(stored);
    }
  }

  @Test
  void alternatingRequests_seeEachOthersEvents() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      PersonaEngine[] instances = {engine(a), engine(b)};

      Decision last = null;
      for (int i = 0; i < 10; i++) {
        last = instances[i % 2].decide(productView("alternating"));
        assertThat(last.flags()).isEmpty();
        assertThat(signal(last, "requests")).isEqualTo(i + 1);
      }

      assertThat(signal(last, "product_views")).isEqualTo(10);
      // Every request after the first finds the other instance's write: one more round trip.
      assertThat(a.stats().conflicts()).isEqualTo(4);
      assertThat(b.stats().conflicts()).isEqualTo(5);
    }
  }

  @Test
  void parallelRequestsFromTwoInstances_loseNoEvent() throws Exception {
    int threadsPerInstance = 3;
    int visitsPerThread = 300 * Fixtures.scale();
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      // Three sessions, one in each third of the slots: on a cluster, one on each node.
      List<String> sessions = Fixtures.onEveryThird(a, "parallel-");
      PersonaEngine[] instances = {engine(a), engine(b)};
      ExecutorService pool = Executors.newFixedThreadPool(2 * threadsPerInstance);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<String>>> flagged = new ArrayList<>();
      for (int t = 0; t < 2 * threadsPerInstance; t++) {
        PersonaEngine engine = instances[t % 2];
        flagged.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> why = new ArrayList<>();
                  for (int i = 0; i < visitsPerThread; i++) {
                    Decision d =
                        engine.decide(
                            Visit.builder(sessions.get(i % sessions.size()))
                                .event(Event.of("product_view"))
                                .event(Event.of("add_to_cart"))
                                .build());
                    if (!d.flags().isEmpty()) {
                      why.add(d.flags() + " " + d.reasons().get(0).text());
                    }
                  }
                  return why;
                }));
      }
      start.countDown();
      for (Future<List<String>> f : flagged) {
        assertThat(f.get(120, TimeUnit.SECONDS)).isEmpty();
      }
      pool.shutdown();

      int expected = 2 * threadsPerInstance * visitsPerThread / sessions.size();
      for (String session : sessions) {
        Decision last = instances[0].decide(Visit.builder(session).build());
        assertThat(signal(last, "product_views")).isEqualTo(expected);
        assertThat(signal(last, "cart_adds")).isEqualTo(expected);
        assertThat(signal(last, "requests")).isEqualTo(expected + 1);
      }
      assertThat(a.stats().conflicts() + b.stats().conflicts()).isPositive();
    }
  }

  @Test
  void keys_areHashedPrefixed_andExpireAfterTheTtl() {
    try (RedisSessionStore store =
        patientStore(redis)
            .keyPrefix("shop1:")
            .sessionTtl(java.time.Duration.ofMinutes(20))
            .build()) {
      engine(store).decide(productView("user-42@example.com"));

      String key = store.redisKey("user-42@example.com");
      assertThat(key).matches("shop1:s:\\{[0-9a-f]{32}}");
      assertThat(redis.keys()).contains(key).noneMatch(k -> k.contains("user-42"));
      long ttl = redis.commands(r -> r.pttl(key.getBytes(StandardCharsets.UTF_8)));
      assertThat(ttl).isBetween(19 * 60_000L, 20 * 60_000L);
    }
  }

  @Test
  void keySecret_hashesIdsWithHmac() {
    byte[] secret = "a secret of 32 bytes, not less!!".getBytes(StandardCharsets.US_ASCII);
    try (RedisSessionStore plain = patientStore(redis).build();
        RedisSessionStore keyed = patientStore(redis).keySecret(secret).build();
        RedisSessionStore sameSecret = patientStore(redis).keySecret(secret).build()) {
      assertThat(keyed.redisKey("s1")).isNotEqualTo(plain.redisKey("s1"));
      assertThat(keyed.redisKey("s1")).isEqualTo(sameSecret.redisKey("s1"));
      assertThat(keyed.redisKey("s1")).isNotEqualTo(keyed.redisKey("s2"));
    }
  }

  @Test
  void reads_areAnsweredFromTheNearCache() {
    try (RedisSessionStore store = patientStore(redis).build()) {
      engine(store).decide(productView("near"));
      long hits = store.stats().nearCacheHits();

      assertThat(store.get("near")).isNotNull();
      assertThat(store.stats().nearCacheHits()).isEqualTo(hits + 1);
      assertThat(store.stats().nearCacheMisses()).isEqualTo(1);
    }
  }

  @Test
  void staleNearCacheCopy_costsAConflictNotAnUpdate() {
    try (RedisSessionStore a = patientStore(redis).build();
        RedisSessionStore b = patientStore(redis).build()) {
      PersonaEngine first = engine(a);
      first.decide(productView("stale"));
      engine(b).decide(productView("stale"));

      Decision d = first.decide(productView("stale"));

      assertThat(signal(d, "product_views")).isEqualTo(3);
      assertThat(a.stats().conflicts()).isEqualTo(1);
    }
  }
}
