package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The keys one statistics script touches are in one Redis Cluster slot once the prefix has a tag.
 */
final class StatsKeysTest {

  @Test
  void theOutcomeIdKey_beginsWithTheStatsKey_andSharesItsHashTag() {
    StatsKeys plain = StatsKeys.of("persona:");
    StatsKeys tagged = StatsKeys.of("{shop}:");

    assertThat(text(plain.totals())).isEqualTo("persona:stats");
    assertThat(text(plain.outcomeIds())).isEqualTo("persona:stats:o");
    assertThat(text(tagged.outcomeIds())).isEqualTo("{shop}:stats:o");
    assertThat(SlotHash.getSlot(tagged.outcomeIds())).isEqualTo(SlotHash.getSlot(tagged.totals()));
    assertThat(plain.both()[0]).isSameAs(plain.totals());
    assertThat(plain.both()[1]).isSameAs(plain.outcomeIds());
  }

  private static String text(byte[] key) {
    return new String(key, StandardCharsets.UTF_8);
  }
}
