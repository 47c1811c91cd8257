package dev.persona.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Bad settings fail at once, naming the setting; no store is built. */
final class BuilderTest {

  @Test
  void notARedisUri_failsWithoutEchoingIt() {
    assertThatThrownBy(() -> RedisSessionStore.builder("http://:hunter2@host"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("redisUri")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisStatsStore.builder("not a uri at all"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outOfRangeSettings_nameTheSetting() {
    RedisSessionStore.Builder b = RedisSessionStore.builder("redis://127.0.0.1:1");
    assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO))
        .hasMessageContaining("commandTimeout");
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofMinutes(2)))
        .hasMessageContaining("connectTimeout");
    assertThatThrownBy(() -> b.sessionTtl(Duration.ofMillis(-1)))
        .hasMessageContaining("sessionTtl");
    assertThatThrownBy(() -> b.sessionTtl(Duration.ofDays(401))).hasMessageContaining("sessionTtl");
    assertThatThrownBy(() -> b.maxStaleness(Duration.ofHours(2)))
        .hasMessageContaining("maxStaleness");
    assertThatThrownBy(() -> b.nearCacheSize(-1)).hasMessageContaining("nearCacheSize");
    assertThatThrownBy(() -> b.keySecret(new byte[8])).hasMessageContaining("keySecret");
    assertThatThrownBy(() -> b.keyPrefix("x".repeat(101))).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> b.keyPrefix("{shop}:")).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> RedisStatsStore.builder("redis://127.0.0.1:1").maxEntries(0))
        .hasMessageContaining("maxEntries");
  }

  @Test
  void aClusterUri_namesNoOtherDatabase() {
    assertThatThrownBy(() -> RedisSessionStore.builder("redis://127.0.0.1:1/2").cluster(true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cluster");
    assertThatThrownBy(
            () -> RedisStatsStore.builder("redis-sentinel://127.0.0.1:1#mymaster").cluster(true))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(RedisStatsStore.builder("redis://127.0.0.1:1/0").cluster(true)).isNotNull();
  }

  @Test
  void stalenessNotShorterThanTheTtl_isAConflict() {
    assertThatThrownBy(
            () ->
                RedisSessionStore.builder("redis://127.0.0.1:1")
                    .sessionTtl(Duration.ofSeconds(30))
                    .maxStaleness(Duration.ofSeconds(30))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxStaleness");
  }

  @Test
  void keySecret_isCopied() {
    byte[] secret = new byte[16];
    RedisSessionStore.Builder b =
        RedisSessionStore.builder("redis://127.0.0.1:1").connectTimeout(Duration.ofMillis(50));
    b.keySecret(secret);
    try (RedisSessionStore before = b.build()) {
      secret[0] = 1;
      try (RedisSessionStore after = b.keySecret(secret).build()) {
        assertThat(before.redisKey("s")).isNotEqualTo(after.redisKey("s"));
      }
    }
  }
}
