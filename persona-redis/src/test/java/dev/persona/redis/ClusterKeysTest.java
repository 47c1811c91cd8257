package dev.persona.redis;

import static dev.persona.redis.Fixtures.engine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.Decision;
import dev.persona.Outcome;
import dev.persona.PersonaEngine;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.SessionConfig;
import dev.persona.redis.internal.RedisLink;
import dev.persona.redis.internal.Script;
import dev.persona.redis.internal.SessionKeys;
import dev.persona.testing.RedisCluster;
import dev.persona.testing.RedisServer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster of three masters, every key the stores write lies in the slot of its hash tag,
 * and every script touches one slot: a script on two sessions' keys is refused before Redis would
 * answer {@code CROSSSLOT}.
 */
final class ClusterKeysTest {
  private static final Script TWO_KEYS =
      Script.of(
          """
          redis.call('SET', KEYS[1], ARGV[1])
          redis.call('SET', KEYS[2], ARGV[1])
          return {1}
          """);

  private static RedisCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = RedisCluster.shared();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void everyKeyTheStoresWrite_liesInTheSlotOfItsTag_onEveryNode() {
    List<Decision> decisions = new ArrayList<>();
    List<String> sessionKeys = new ArrayList<>();
    try (RedisSessionStore sessions =
            RedisSessionStore.builder(cluster.uri())
                .cluster(true)
                .keyPrefix("slots:")
                .commandTimeout(Duration.ofSeconds(5))
                .build();
        RedisStatsStore stats =
            RedisStatsStore.builder(cluster.uri())
                .cluster(true)
                .keyPrefix("slots:")
                .commandTimeout(Duration.ofSeconds(5))
                .build()) {
      PersonaEngine engine =
          PersonaEngine.builder()
              .ruleSet(Fixtures.RULES)
              .clock(Fixtures.CLOCK)
              .sessions(SessionConfig.store(sessions).build())
              .experiments(ExperimentConfig.builder().statsStore(stats).build())
              .build();
      for (int i = 0; i < 60; i++) {
        String id = "shopper-" + i;
        Decision d = engine.decide(Fixtures.productView(id));
        engine.recordOutcome(Outcome.shown(id, d.variant("home.hero")));
        decisions.add(d);
        sessionKeys.add(sessions.redisKey(id));
      }
      assertThat(engine.variantStats()).isNotEmpty();
      assertThat(sessions.stats().failures()).isZero();
      assertThat(stats.failures()).isZero();
      assertThat(engine.stats().statsStoreFailures()).isZero();
    }
    assertThat(decisions).allSatisfy(d -> assertThat(d.flags()).isEmpty());

    List<String> keys = cluster.keys().stream().filter(k -> k.startsWith("slots:")).toList();
    assertThat(keys).containsAll(sessionKeys).contains("slots:{stats}");
    cluster.commands(
        r -> {
          for (String key : keys) {
            int open = key.indexOf('{');
            int close = key.indexOf('}', open + 1);
            assertThat(open).as(key).isPositive();
            assertThat(close).as(key).isGreaterThan(open + 1);
            String tag = key.substring(open + 1, close);
            assertThat(r.clusterKeyslot(utf8(key))).as(key).isEqualTo(r.clusterKeyslot(utf8(tag)));
          }
          return null;
        });
    // The stores followed the slots: every node holds some of the sessions, not just the seed.
    for (RedisServer node : cluster.nodes()) {
      assertThat(node.keys()).as(node.uri()).containsAnyElementsOf(sessionKeys);
    }
  }

  @Test
  void aScriptOnOneSessionsKeys_runs_andOneOnTwoSessions_isRefusedBeforeRedisSaysCrossslot() {
    SessionKeys keys = new SessionKeys("scripts:", null);
    try (RedisLink link =
        new RedisLink(
            RedisLink.parse(cluster.uri()),
            true,
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            List.of())) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      for (int i = 0; i < 30; i++) {
        String id = "session-" + i;
        List<Object> answer =
            link.eval(TWO_KEYS, new byte[][] {keys.of(id), keys.of(id, ":x")}, deadline, utf8("v"));
        assertThat(answer).containsExactly(1L);
      }
      byte[][] twoSessions = {keys.of("session-a"), keys.of("session-b")};

      assertThatThrownBy(() -> link.eval(TWO_KEYS, twoSessions, deadline, utf8("v")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("hash tag");
      assertThatThrownBy(
              () -> link.eval(Script.acrossSlots("return {1}"), twoSessions, deadline, utf8("v")))
          .isInstanceOf(IllegalStateException.class);
    }
    // What the check spares: Redis refuses the script, as the two keys lie in different slots.
    assertThatThrownBy(
            () ->
                cluster.commands(
                    r ->
                        r.eval(
                            TWO_KEYS.text(),
                            ScriptOutputType.MULTI,
                            new byte[][] {keys.of("session-a"), keys.of("session-b")},
                            utf8("v"))))
        .isInstanceOf(RedisCommandExecutionException.class)
        .hasMessageContaining("CROSSSLOT");
    List<String> written = cluster.keys().stream().filter(k -> k.startsWith("scripts:")).toList();
    assertThat(written).hasSize(60).noneMatch(k -> k.contains("session-"));
    for (RedisServer node : cluster.nodes()) {
      // A session's key and its further key always lie on the same node.
      List<String> here = node.keys();
      for (String k : here) {
        if (k.endsWith(":x")) {
          assertThat(here).contains(k.substring(0, k.length() - 2));
        }
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
