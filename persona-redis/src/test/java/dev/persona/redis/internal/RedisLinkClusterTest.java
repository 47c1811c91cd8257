package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.RedisCluster;
import dev.persona.testing.RedisServer;
import io.lettuce.core.KillArgs;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * On a Redis Cluster of three masters, a link hears Redis's reports of changed keys from every
 * master, from the moment tracking is asked for, tracks only while every master's connection does,
 * and says per master whether reports before a time have been heard.
 */
final class RedisLinkClusterTest {
  private static final Script ONE = Script.of("return {1}");

  private RedisCluster cluster;
  private final SessionKeys keys = new SessionKeys("link:", null);

  @BeforeEach
  void start() {
    cluster = RedisCluster.shared();
  }

  /** One session key in each third of the slots: one on each master, in the order of the nodes. */
  private List<byte[]> oneKeyPerMaster() {
    List<byte[]> out = new ArrayList<>();
    for (int third = 0; third < 3; third++) {
      for (int i = 0; ; i++) {
        byte[] key = keys.of("session-" + i);
        if (SlotHash.getSlot(key) * 3 / SlotHash.SLOT_COUNT == third) {
          out.add(key);
          break;
        }
      }
    }
    return out;
  }

  private RedisLink link() {
    return new RedisLink(
        RedisLink.parse(cluster.uri()),
        true,
        Duration.ofSeconds(5),
        Duration.ofSeconds(5),
        List.of(ONE));
  }

  @Test
  void reportsFromEveryMaster_reachTheListener_andALostConnectionStopsTrackingUntilBack() {
    Set<String> heard = ConcurrentHashMap.newKeySet();
    try (RedisLink link = link()) {
      link.track(
          "link:s:",
          changed -> {
            if (changed != null) {
              changed.forEach(k -> heard.add(new String(k, StandardCharsets.US_ASCII)));
            }
          });
      // on when track returns: what the store writes first is reported too
      assertThat(link.tracking()).isTrue();
      List<byte[]> written = oneKeyPerMaster();
      cluster.commands(
          r -> {
            written.forEach(k -> r.set(k, new byte[] {1})); // another client's writes
            return null;
          });
      List<String> names =
          written.stream().map(k -> new String(k, StandardCharsets.US_ASCII)).toList();
      awaitTrue(() -> heard.containsAll(names));

      long epoch = link.trackingEpoch();
      RedisServer one = cluster.nodes().get(1);
      one.admin(r -> r.clientKill(KillArgs.Builder.typeNormal()));
      awaitTrue(() -> link.trackingEpoch() != epoch); // off: copies read before are not trusted
      awaitTrue(link::tracking); // on again after the reconnect
      assertThat(link.trackingEpoch()).isNotEqualTo(epoch);

      heard.clear();
      cluster.commands(r -> r.set(written.get(1), new byte[] {2}));
      awaitTrue(() -> heard.contains(names.get(1)));
    }
  }

  @Test
  void anAnswerOfOneMaster_saysNothingOfAnothersReports() {
    List<byte[]> perMaster = oneKeyPerMaster();
    try (RedisLink link = link()) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long since = System.nanoTime();

      link.eval(ONE, perMaster.get(1), deadline);
      awaitTrue(() -> link.answeredSince(perMaster.get(1), since));
      assertThat(link.answeredSince(perMaster.get(0), since)).isFalse();
      assertThat(link.answeredSince(perMaster.get(2), since)).isFalse();

      link.eval(ONE, perMaster.get(0), deadline);
      awaitTrue(() -> link.answeredSince(perMaster.get(0), since));
      assertThat(link.answeredSince(perMaster.get(2), since)).isFalse();
    }
  }

  @Test
  void onEveryMaster_namesOneCanaryPerMaster_theSameForEveryLink() {
    byte[] canary = keys.canary();
    try (RedisLink link = link();
        RedisLink other = link()) {
      List<String> names = names(link.onEveryMaster(canary));
      assertThat(names)
          .hasSize(3)
          .contains("link:{alive}")
          .isEqualTo(names(other.onEveryMaster(canary)));
      Set<Integer> masters = ConcurrentHashMap.newKeySet();
      for (String name : names) {
        masters.add(cluster.nodes().indexOf(cluster.serverOf(name)));
      }
      assertThat(masters).containsExactlyInAnyOrder(0, 1, 2);
    }
  }

  private static List<String> names(List<byte[]> keys) {
    return keys.stream().map(k -> new String(k, StandardCharsets.US_ASCII)).sorted().toList();
  }

  private static void awaitTrue(BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within 20 s");
      }
      RedisServer.sleep(10);
    }
  }
}
