package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantStats;
import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statistics hash of the version before hash tags, {@code <prefix>stats}, is merged into {@code
 * <prefix>{stats}} by the snapshots on a single server: every count once, also while an instance of
 * the old version still writes it.
 */
final class StatsMigrationTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  private static RedisStatsStore store(String prefix) {
    return RedisStatsStore.builder(redis.uri())
        .keyPrefix(prefix)
        .commandTimeout(Duration.ofSeconds(5))
        .snapshotTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Writes fields as the version before hash tags did: its hash, its field names. */
  private static void oldVersionWrites(String hash, Map<String, String> fields) {
    redis.admin(
        r -> {
          fields.forEach((f, v) -> r.hset(utf8(hash), utf8(f), utf8(v)));
          return null;
        });
  }

  @Test
  void theOldHash_isMergedOnce_andWhatTheOldVersionWritesLater_too() {
    oldVersionWrites(
        "old:stats",
        Map.of(
            "1:p1:a0:|", "1",
            "1:p1:a0:|e", "5",
            "1:p1:a0:|v", "2.5",
            "1:p1:b0:|", "1",
            "1:p1:b0:|c", "3",
            "#", "2",
            "not a field", "x"));
    try (RedisStatsStore s = store("old:")) {
      s.add(VariantStats.builder("p", "a", null).exposures(1).build());

      List<VariantStats> merged = s.snapshot();
      List<VariantStats> again = s.snapshot();

      assertThat(merged)
          .containsExactlyInAnyOrder(
              VariantStats.builder("p", "a", null).exposures(6).value(2.5).build(),
              VariantStats.builder("p", "b", null).clicks(3).build());
      assertThat(again).containsExactlyInAnyOrderElementsOf(merged);
      assertThat(redis.keys()).contains("old:{stats}").doesNotContain("old:stats");
      // The foreign field came along and each snapshot skipped it; each combination counts once.
      assertThat(s.foreignFields()).isEqualTo(2);
      byte[] combinations = redis.admin(r -> r.hget(utf8("old:{stats}"), utf8("#")));
      assertThat(new String(combinations, StandardCharsets.UTF_8)).isEqualTo("2");

      oldVersionWrites("old:stats", Map.of("1:p1:a0:|", "1", "1:p1:a0:|e", "4"));

      assertThat(s.snapshot())
          .containsExactlyInAnyOrder(
              VariantStats.builder("p", "a", null).exposures(10).value(2.5).build(),
              VariantStats.builder("p", "b", null).clicks(3).build());
    }
  }

  @Test
  void aLargeOldHash_isMergedInPages_exactly() {
    redis.admin(
        r -> {
          for (int i = 0; i < 2_000; i++) {
            String c = "1:p" + (Integer.toString(i).length() + 1) + ":v" + i + "3:seg";
            r.hset(utf8("large:stats"), utf8(c + "|"), utf8("1"));
            r.hset(utf8("large:stats"), utf8(c + "|e"), utf8(Integer.toString(i)));
          }
          return r.hset(utf8("large:stats"), utf8("#"), utf8("2000"));
        });
    try (RedisStatsStore s = store("large:")) {
      s.add(VariantStats.builder("p", "v7", "seg").exposures(1).build());

      List<VariantStats> all = s.snapshot();

      assertThat(all).hasSize(2_000);
      assertThat(all.stream().mapToLong(VariantStats::exposures).sum())
          .isEqualTo(1_999L * 2_000 / 2 + 1);
      assertThat(all).contains(VariantStats.builder("p", "v7", "seg").exposures(8).build());
      assertThat(redis.keys()).doesNotContain("large:stats");
    }
  }

  @Test
  void twoNewInstancesMerging_whileAnOldOneWrites_countEveryIncrementOnce() throws Exception {
    int increments = 2_000;
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Throwable> failures = new ArrayList<>();
    try (RedisStatsStore a = store("rolling:");
        RedisStatsStore b = store("rolling:")) {
      Thread[] snapshots = new Thread[2];
      for (int t = 0; t < 2; t++) {
        RedisStatsStore s = t == 0 ? a : b;
        snapshots[t] =
            new Thread(
                () -> {
                  try {
                    while (writing.get()) {
                      s.snapshot();
                    }
                  } catch (RuntimeException e) {
                    synchronized (failures) {
                      failures.add(e);
                    }
                  }
                });
        snapshots[t].start();
      }
      redis.admin(
          r -> {
            for (int i = 0; i < increments; i++) {
              // What the old version's script did for one exposure.
              r.hsetnx(utf8("rolling:stats"), utf8("1:p1:a0:|"), utf8("1"));
              r.hincrby(utf8("rolling:stats"), utf8("1:p1:a0:|e"), 1);
            }
            return null;
          });
      writing.set(false);
      for (Thread t : snapshots) {
        t.join();
      }

      assertThat(failures).isEmpty();
      assertThat(a.snapshot())
          .containsExactly(VariantStats.builder("p", "a", null).exposures(increments).build());
      assertThat(redis.keys()).doesNotContain("rolling:stats");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
