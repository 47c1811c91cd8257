package dev.persona.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.Decision;
import dev.persona.Event;
import dev.persona.TestRules;
import dev.persona.Visit;
import dev.persona.config.ContextConfig;
import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.Limits;
import dev.persona.config.SessionConfig;
import dev.persona.internal.rules.CompiledRuleSet;
import dev.persona.internal.session.Timeline;
import dev.persona.spi.SessionStore;
import dev.persona.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A wall clock that steps back (an NTP correction, a manual change) does not keep a session beyond
 * its idle timeout (30 minutes) in real time, on the default store or on a store of your own. The
 * engine's clock and its elapsed time (nanoTime) are both moved by hand.
 */
final class ClockStepBackTest {
  private static final Instant NOON = Instant.parse("2026-11-10T12:00:00Z");
  private final MutableClock wall = new MutableClock(NOON);
  private final AtomicLong nanos = new AtomicLong();
  private final Timeline time = new Timeline(wall, nanos::get);

  /** Never forgets a session by itself: only the engine judges its idle time. */
  private final SessionStore keepsEverything =
      SessionStore.inMemory(1_000, Duration.ofDays(365), Clock.systemUTC());

  @Test
  void onTheDefaultStore_aSessionIdleFor31Minutes_startsEmpty_thoughTheClockSteppedBackAnHour() {
    Engine engine = engine(SessionConfig.defaults());
    viewTwice(engine);

    wall.advance(Duration.ofHours(-1));
    pass(Duration.ofMinutes(31));
    Decision d = engine.decide(view());

    assertThat(d.signal("requests").value()).isEqualTo(1.0);
    assertThat(d.flags()).isEmpty();
  }

  @Test
  void onAStoreOfYourOwn_aSessionIdleFor31Minutes_startsEmpty_thoughTheClockSteppedBackAnHour() {
    Engine engine = engine(SessionConfig.store(keepsEverything).build());
    viewTwice(engine);

    wall.advance(Duration.ofHours(-1));
    pass(Duration.ofMinutes(31));
    Decision d = engine.decide(view());

    assertThat(d.signal("requests").value()).isEqualTo(1.0);
    assertThat(d.flags()).isEmpty();
  }

  @Test
  void aSessionIdleFor29Minutes_goesOn_withItsClockBroughtBack() {
    Engine engine = engine(SessionConfig.store(keepsEverything).build());
    viewTwice(engine);

    wall.advance(Duration.ofHours(-1));
    pass(Duration.ofMinutes(29));
    Decision first = engine.decide(view());
    pass(Duration.ofMinutes(29));
    Decision later = engine.decide(view());

    assertThat(first.signal("requests").value()).isEqualTo(3.0);
    assertThat(first.flags()).containsExactly(Decision.Flag.CLOCK_AHEAD);
    assertThat(later.signal("requests").value()).isEqualTo(4.0);
    assertThat(later.flags()).isEmpty();
  }

  @Test
  void onTheDefaultStore_aSessionIdleLongerThanTheStep_startsEmpty() {
    Engine engine = engine(SessionConfig.defaults());
    viewTwice(engine);

    wall.advance(Duration.ofMinutes(-10));
    pass(Duration.ofMinutes(35)); // 25 minutes by the wall clock

    assertThat(engine.decide(view()).signal("requests").value()).isEqualTo(1.0);
  }

  @Test
  void aSessionOfAnInstanceRunningAheadOfAllThisInstanceRead_isUsed_afterThisClockSteppedBack() {
    SessionConfig shared = SessionConfig.store(keepsEverything).build();
    Engine here = engine(shared);
    here.decide(view());
    wall.advance(Duration.ofHours(-1));
    pass(Duration.ofMinutes(31));
    MutableClock twoHoursAhead = new MutableClock(NOON.plus(Duration.ofHours(2)));
    Engine ahead = engine(shared, new Timeline(twoHoursAhead, nanos::get));

    ahead.decide(view());
    Decision d = here.decide(view());

    assertThat(d.signal("requests").value()).isEqualTo(2.0);
    assertThat(d.flags()).containsExactly(Decision.Flag.CLOCK_AHEAD);
  }

  @Test
  void withoutASteppedClock_idleTimeIsTheWallClocks() {
    Engine engine = engine(SessionConfig.store(keepsEverything).build());
    viewTwice(engine);

    wall.advance(Duration.ofMinutes(31)); // nanoTime stood still: a paused virtual machine

    assertThat(engine.decide(view()).signal("requests").value()).isEqualTo(1.0);
  }

  private void viewTwice(Engine engine) {
    engine.decide(view());
    pass(Duration.ofSeconds(10));
    engine.decide(view());
  }

  private static Visit view() {
    return Visit.builder("s1").event(Event.of("product_view")).build();
  }

  /** Real time passes: both of the engine's clocks move on. */
  private void pass(Duration d) {
    wall.advance(d);
    nanos.addAndGet(d.toNanos());
  }

  private Engine engine(SessionConfig sessions) {
    return engine(sessions, time);
  }

  private static Engine engine(SessionConfig sessions, Timeline time) {
    return new Engine(
        TestRules.ruleSet(),
        sessions,
        ContextConfig.defaults(),
        ExperimentConfig.defaults(),
        ExtensionConfig.defaults(),
        Limits.defaults(),
        false,
        time,
        CompiledRuleSet.Scoring.GENERATED);
  }
}
