package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bounds of what {@link HeldBack} keeps: per session, in time, and what a write lets go. */
final class HeldBackTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.US_ASCII);

  @Test
  void keepsTheLatestChangesOfASession_atMostItsBound() {
    HeldBack held = new HeldBack(Duration.ofMinutes(1), 32, 10);
    List<DatedChange> back = changes(40);

    held.update("s", KEY, null, new ArrayList<>(back));

    assertThat(held.of("s")).containsExactlyElementsOf(back.subList(8, 40));
    assertThat(held.holds("s")).isTrue();
    assertThat(held.of("other")).isNull();
  }

  @Test
  void aWriteThatTriedThem_letsGoThoseNotHeldBackAgain() {
    HeldBack held = new HeldBack(Duration.ofMinutes(1), 32, 10);
    List<DatedChange> back = changes(3);
    held.update("s", KEY, null, new ArrayList<>(back));
    DatedChange later = changes(1).get(0);
    List<DatedChange> tried = held.of("s");
    held.update("s", KEY, null, List.of(later)); // held back meanwhile, by another write

    held.update("s", KEY, tried, List.of(back.get(1))); // the write let two in, held one again

    assertThat(held.of("s")).containsExactly(later, back.get(1));
    held.update("s", KEY, held.of("s"), null);
    assertThat(held.of("s")).isNull();
    assertThat(held.holds("s")).isFalse();
  }

  @Test
  void aChangeIsHeldAtMostForItsTime_fromWhenItWasFirstHeld() {
    HeldBack held = new HeldBack(Duration.ofMillis(200), 32, 10);
    List<DatedChange> back = changes(1);
    held.update("s", KEY, null, new ArrayList<>(back));

    RedisServer.sleep(120);
    held.update("s", KEY, held.of("s"), new ArrayList<>(back)); // held back again: same time
    RedisServer.sleep(120);

    assertThat(held.of("s")).as("held 240 ms since it was first held").isNull();
  }

  private static List<DatedChange> changes(int n) {
    List<DatedChange> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new DatedChange(s -> s, System.nanoTime()));
    }
    return out;
  }
}
