package dev.persona.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The engine's reading of elapsed time: the wall clock's, except that it never goes backwards. */
final class TimelineTest {
  private static final Instant NOON = Instant.parse("2026-11-10T12:00:00Z");
  private final MutableClock wall = new MutableClock(NOON);
  private final AtomicLong nanos = new AtomicLong(123_456_789_000L);
  private final Timeline time = new Timeline(wall, nanos::get);

  @Test
  void whileTheWallClockRunsNormally_itIsTheWallTime() {
    assertThat(time.millis()).isEqualTo(NOON.toEpochMilli());

    pass(Duration.ofMinutes(5));

    assertThat(time.millis()).isEqualTo(NOON.plus(Duration.ofMinutes(5)).toEpochMilli());
    assertThat(time.wallMillis()).isEqualTo(NOON.plus(Duration.ofMinutes(5)).toEpochMilli());
  }

  @Test
  void whenTheWallClockStepsBack_itGoesOnByTheElapsedTime() {
    long start = time.millis();
    pass(Duration.ofMinutes(1));
    long before = time.wallMillis();

    wall.advance(Duration.ofHours(-1));
    long atStep = time.millis();
    pass(Duration.ofMinutes(31));

    assertThat(atStep - start).isEqualTo(Duration.ofMinutes(1).toMillis());
    assertThat(time.millis() - start).isEqualTo(Duration.ofMinutes(32).toMillis());
    assertThat(time.wallMillis()).isEqualTo(start - Duration.ofMinutes(28).toMillis());
    assertThat(time.latestWall()).isEqualTo(before);
  }

  @Test
  void whenTheWallClockJumpsForward_itJumpsWithIt() {
    long start = time.millis();

    wall.advance(Duration.ofHours(2)); // a virtual machine paused: nanoTime stood still

    assertThat(time.millis() - start).isEqualTo(Duration.ofHours(2).toMillis());
  }

  @Test
  void aClockAtTheEndOfTime_isClampedLikeVisitTimes() {
    Timeline far = new Timeline(new MutableClock(Instant.MAX), nanos::get);

    assertThat(far.wallMillis()).isEqualTo(1L << 52);
    assertThat(far.millis()).isGreaterThanOrEqualTo(1L << 52);
  }

  /** Real time passes: both clocks move on. */
  private void pass(Duration d) {
    wall.advance(d);
    nanos.addAndGet(d.toNanos());
  }
}
