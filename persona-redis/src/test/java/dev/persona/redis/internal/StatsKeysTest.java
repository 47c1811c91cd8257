package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The keys one statistics script touches share the {@code {stats}} tag, so one Redis Cluster slot.
 */
final class StatsKeysTest {

  @Test
  void theOutcomeIdKey_beginsWithTheStatsKey_andSharesItsHashTag() {
    StatsKeys plain = StatsKeys.of("persona:");

    assertThat(text(plain.totals())).isEqualTo("persona:{stats}");
    assertThat(text(plain.outcomeIds())).isEqualTo("persona:{stats}:o");
    assertThat(text(plain.legacy())).isEqualTo("persona:stats");
    assertThat(SlotHash.getSlot(plain.outcomeIds())).isEqualTo(SlotHash.getSlot(plain.totals()));
    assertThat(plain.both()[0]).isSameAs(plain.totals());
    assertThat(plain.both()[1]).isSameAs(plain.outcomeIds());
  }

  private static String text(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }
}
