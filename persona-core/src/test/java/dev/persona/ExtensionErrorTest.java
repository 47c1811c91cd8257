package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.ExperimentConfig;
import dev.persona.config.ExtensionConfig;
import dev.persona.config.SessionConfig;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.spi.SessionState;
import dev.persona.spi.SessionStore;
import dev.persona.spi.SignalExtractor;
import dev.persona.spi.SignalSink;
import dev.persona.spi.StatsStore;
import dev.persona.testing.CapturedLog;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A {@link java.lang.Error} that custom code throws is a failure of that code, like a {@link
 * RuntimeException}: flagged, counted, logged without its message. Only the errors after which the
 * JVM may not work, such as {@link OutOfMemoryError}, go on out of {@code decide}.
 */
final class ExtensionErrorTest {
  private static final String SECRET = "session-s3cr3t";

  /** Kotlin's {@code TODO()} throws {@code kotlin.NotImplementedError}, an Error of its own. */
  static final class NotImplementedError extends Error {
    private static final long serialVersionUID = 1L;

    NotImplementedError(String message) {
      super(message);
    }
  }

  static Stream<Arguments> errors() {
    List<Supplier<Error>> errors =
        List.of(
            () -> new AssertionError("assert failed for " + SECRET),
            () -> new ExceptionInInitializerError("static init for " + SECRET),
            () -> new NoSuchMethodError("mismatched jar, " + SECRET),
            () -> new NotImplementedError("An operation is not implemented: " + SECRET));
    return errors.stream()
        .flatMap(
            e ->
                Stream.of(Duration.ZERO, Duration.ofSeconds(5))
                    .map(limit -> Arguments.of(e.get().getClass().getSimpleName(), e, limit)));
  }

  @ParameterizedTest(name = "{0}, call time limit {2}")
  @MethodSource("errors")
  void anErrorOfAnExtractor_costsOnlyItsSignals(
      String name, Supplier<Error> error, Duration limit) {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder().extractor(new Throwing(error)).callTimeout(limit).build())
            .build();
    Decision[] d = new Decision[1];

    String log =
        CapturedLog.during(
            () ->
                d[0] =
                    engine.decide(
                        Visit.builder(SECRET)
                            .header("User-Agent", SignalKindsTest.iphone())
                            .build()));
    engine.close();

    assertThat(d[0].isDefault()).isFalse();
    assertThat(d[0].flags()).containsExactly(Decision.Flag.EXTRACTOR_FAILED);
    assertThat(d[0].signal("device").value()).isEqualTo("mobile");
    assertThat(engine.stats().extractorFailures()).isEqualTo(1);
    assertThat(log).contains(name).doesNotContain(SECRET);
  }

  @ParameterizedTest(name = "{0}, call time limit {2}")
  @MethodSource("errors")
  void anErrorOfASessionStore_costsOnlyTheSessionsMemory(
      String name, Supplier<Error> error, Duration limit) {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .sessions(SessionConfig.store(new ThrowingStore(error)).build())
            .extensions(ExtensionConfig.builder().callTimeout(limit).build())
            .build();
    Decision[] d = new Decision[1];

    String log =
        CapturedLog.during(
            () ->
                d[0] =
                    engine.decide(Visit.builder(SECRET).event(Event.of("apply_coupon")).build()));
    engine.close();

    assertThat(d[0].isDefault()).isFalse();
    assertThat(d[0].flags()).containsExactly(Decision.Flag.STORE_FAILED);
    assertThat(d[0].signal("coupons_applied").value()).isEqualTo(1.0);
    assertThat(engine.stats().storeFailures()).isEqualTo(1);
    assertThat(log).contains(name).doesNotContain(SECRET);
  }

  @ParameterizedTest(name = "{0}, call time limit {2}")
  @MethodSource("errors")
  void anErrorOfAStatsStore_costsOnlyTheStatistics(
      String name, Supplier<Error> error, Duration limit) {
    RuleSet rules =
        TestRules.builder()
            .placement(
                Placement.of(
                        "home.tiles",
                        Variant.builder("deals").build(),
                        Variant.builder("popular").asDefault().build())
                    .optimized(new Optimization(Optimization.Goal.CLICK, 50, 0.05)))
            .build();
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(rules)
            .experiments(ExperimentConfig.builder().statsStore(new ThrowingStats(error)).build())
            .extensions(ExtensionConfig.builder().statsStoreTimeout(limit).build())
            .build();
    Decision[] d = new Decision[1];

    String log =
        CapturedLog.during(
            () -> {
              d[0] = engine.decide(Visit.builder(SECRET).build());
              engine.recordOutcome(Outcome.shown(SECRET, d[0].variant("home.tiles")));
            });
    engine.close();

    assertThat(d[0].isDefault()).isFalse();
    assertThat(d[0].variant("home.tiles")).isNotNull();
    assertThat(engine.stats().statsStoreFailures()).isEqualTo(2); // the snapshot, the exposure
    assertThat(log).contains(name).doesNotContain(SECRET);
  }

  @Test
  void anOutOfMemoryError_isThrownOn() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(TestRules.ruleSet())
            .extensions(
                ExtensionConfig.builder()
                    .extractor(new Throwing(() -> new OutOfMemoryError("Java heap space")))
                    .callTimeout(Duration.ZERO)
                    .build())
            .build();

    assertThatThrownBy(() -> engine.decide(Visit.builder("s1").build()))
        .isInstanceOf(OutOfMemoryError.class);
    engine.close();
  }

  private static final class Throwing implements SignalExtractor {
    private final Supplier<Error> error;

    Throwing(Supplier<Error> error) {
      this.error = error;
    }

    @Override
    public String name() {
      return "throwing";
    }

    @Override
    public List<SignalSpec> signals() {
      return List.of(
          new SignalSpec("half_done", SignalKind.CONTEXTUAL, SignalType.FLAG, "never complete"));
    }

    @Override
    public void extract(Visit visit, ZonedDateTime localTime, SignalSink sink) {
      throw error.get();
    }
  }

  private static final class ThrowingStore implements SessionStore {
    private final Supplier<Error> error;

    ThrowingStore(Supplier<Error> error) {
      this.error = error;
    }

    @Override
    public SessionState get(String sessionId) {
      throw error.get();
    }

    @Override
    public SessionState update(String sessionId, UnaryOperator<SessionState> change) {
      throw error.get();
    }

    @Override
    public void remove(String sessionId) {
      throw error.get();
    }
  }

  private static final class ThrowingStats implements StatsStore {
    private final Supplier<Error> error;

    ThrowingStats(Supplier<Error> error) {
      this.error = error;
    }

    @Override
    public void add(VariantStats increment) {
      throw error.get();
    }

    @Override
    public List<VariantStats> snapshot() {
      throw error.get();
    }
  }
}
