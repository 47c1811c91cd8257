package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.config.ExperimentConfig;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.Variant;
import dev.persona.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * An experiment with a start and an end runs only between them, by the engine's clock: before and
 * after, its placement shows every visitor the default and counts nothing.
 */
final class ExperimentScheduleTest {
  private static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-27T00:00:00Z");

  private final MutableClock clock = new MutableClock(START.minusSeconds(60));

  private static RuleSet rules(Experiment experiment) {
    return TestRules.builder()
        .placement(
            new Placement(
                    "home.banner",
                    List.of(
                        Variant.builder("a").build(),
                        Variant.builder("b").build(),
                        Variant.builder("control").asDefault().build()))
                .withExperiment(experiment))
        .build();
  }

  private static final Experiment SCHEDULED =
      Experiment.of("banner", Arm.of("a", 50), Arm.of("b", 50)).withStart(START).withEnd(END);

  /** Sets the engine's clock to {@code t}. */
  private void at(Instant t) {
    clock.advance(Duration.between(clock.instant(), t));
  }

  private PersonaEngine engine() {
    return PersonaEngine.builder()
        .ruleSet(rules(SCHEDULED))
        .clock(clock)
        .experiments(ExperimentConfig.builder().forcedVariants("persona_force").build())
        .build();
  }

  private static List<VariantChoice> banners(PersonaEngine engine, int visitors) {
    return IntStream.range(0, visitors)
        .mapToObj(i -> engine.decide(Visit.builder("v-" + i).build()).variant("home.banner"))
        .toList();
  }

  private static VariantStats onlyStats(PersonaEngine engine) {
    assertThat(engine.variantStats()).hasSize(1);
    return engine.variantStats().get(0);
  }

  @Test
  void beforeTheStartAndFromTheEnd_everyVisitorSeesTheDefault_andAtTheStartTheArms() {
    PersonaEngine engine = engine();

    List<VariantChoice> before = banners(engine, 200);
    at(START);
    List<VariantChoice> during = banners(engine, 200);
    at(END.minusMillis(1));
    List<VariantChoice> last = banners(engine, 200);
    at(END);
    List<VariantChoice> after = banners(engine, 200);

    for (List<VariantChoice> off : List.of(before, after)) {
      assertThat(off)
          .allSatisfy(
              c -> {
                assertThat(c.variant()).isEqualTo("control");
                assertThat(c.basis()).isEqualTo(VariantChoice.Basis.DEFAULT);
              });
    }
    for (List<VariantChoice> on : List.of(during, last)) {
      assertThat(on)
          .allSatisfy(c -> assertThat(c.basis()).isEqualTo(VariantChoice.Basis.EXPERIMENT));
      assertThat(on)
          .extracting(VariantChoice::variant)
          .contains("a", "b")
          .doesNotContain("control");
    }
    assertThat(engine.decide(Visit.builder("v-0").build()).reasons())
        .extracting(Reason::text)
        .contains(
            "placement home.banner: default variant control, experiment banner is not running");
  }

  @Test
  void outcomesAreCounted_onlyWhileTheExperimentRuns() {
    PersonaEngine engine = engine();
    VariantChoice early = engine.decide(Visit.builder("v-1").build()).variant("home.banner");
    engine.recordOutcome(Outcome.shown("v-1", early)); // the default, before the start
    at(START.plus(Duration.ofDays(1)));
    VariantChoice arm = engine.decide(Visit.builder("v-1").build()).variant("home.banner");
    engine.recordOutcome(Outcome.shown("v-1", arm));
    at(END);
    engine.recordOutcome(Outcome.clicked("v-1", arm)); // of a decision made while it ran
    engine.recordOutcome(
        Outcome.shown("v-2", engine.decide(Visit.builder("v-2").build()).variant("home.banner")));

    assertThat(onlyStats(engine))
        .isEqualTo(
            VariantStats.builder("home.banner", arm.variant(), null)
                .basis(VariantChoice.Basis.EXPERIMENT)
                .experiment("banner")
                .exposures(1)
                .build());
    assertThat(engine.stats().refusedOutcomes()).isEqualTo(3);
  }

  @Test
  void aQaOverride_showsAnArmBeforeTheStart() {
    PersonaEngine engine = engine();

    VariantChoice c =
        engine
            .decide(Visit.builder("qa").query("persona_force", "home.banner:b").build())
            .variant("home.banner");

    assertThat(c.variant()).isEqualTo("b");
    assertThat(c.basis()).isEqualTo(VariantChoice.Basis.FORCED);
  }

  @Test
  void aStickyExperiment_remembersNoArmBeforeItsStart() {
    PersonaEngine engine =
        PersonaEngine.builder()
            .ruleSet(rules(SCHEDULED.withSticky(Experiment.Sticky.SESSION)))
            .clock(clock)
            .build();
    banners(engine, 200); // before the start: nothing remembered
    at(START);
    engine.reload(
        rules(
            Experiment.of("banner", Arm.of("a", 100))
                .withSticky(Experiment.Sticky.SESSION)
                .withStart(START)));

    assertThat(banners(engine, 200)).extracting(VariantChoice::variant).containsOnly("a");
  }

  @Test
  void anEndNotAfterTheStart_isRefused_andTheWithersKeepTheRest() {
    Experiment x = Experiment.of("banner", Arm.of("a", 50)).withSticky(Experiment.Sticky.USER);

    assertThatThrownBy(() -> x.withStart(END).withEnd(START))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "experiment 'banner': its end 2026-11-20T00:00:00Z is not after its start"
                + " 2026-11-27T00:00:00Z");
    assertThatThrownBy(() -> x.withStart(START).withEnd(START))
        .isInstanceOf(IllegalArgumentException.class);
    Experiment scheduled =
        x.withStart(START).withEnd(END).withBucketing(Experiment.Bucketing.OPTIMIZELY);
    assertThat(scheduled.start()).isEqualTo(START);
    assertThat(scheduled.end()).isEqualTo(END);
    assertThat(scheduled.sticky()).isEqualTo(Experiment.Sticky.USER);
    assertThat(scheduled.runsAt(START.toEpochMilli())).isTrue();
    assertThat(scheduled.runsAt(END.toEpochMilli())).isFalse();
    assertThat(x.withStart(Instant.MIN).runsAt(0)).isTrue();
  }
}
