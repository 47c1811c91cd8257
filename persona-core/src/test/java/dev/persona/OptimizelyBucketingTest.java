package dev.persona;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantChoice.Basis;
import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Experiment.Arm;
import dev.persona.ruleset.Experiment.Bucketing;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An experiment moved from Optimizely keeps its visitors' arms: with Optimizely-compatible
 * bucketing, the visitors of Optimizely's published bucketing vectors ({@code BucketerTest} of its
 * Java SDK, github.com/optimizely/java-sdk, core-api/src/test/java/com/optimizely/ab/bucketing/
 * BucketerTest.java: buckets 5254, 4299, 5439 and 6128 in experiment 1886780721, 2434 in
 * 1886780722) land in the arms whose ranges hold those buckets.
 */
final class OptimizelyBucketingTest {
  private static final String LONG_ID =
      "a very very very very very very very very very very very very very very very long ppd"
          + " string";

  /**
   * Arms over buckets 0-2999, 3000-4999, 5000-5299, 5300-5999 and 6000-9999, as an Optimizely
   * traffic allocation with ends of range 3000, 5000, 5300, 6000 and 10000.
   */
  private static PersonaEngine engine(String experimentId, Bucketing bucketing) {
    Experiment x =
        Experiment.of(
                experimentId,
                Arm.of("a", 30),
                Arm.of("b", 20),
                Arm.of("c", 3),
                Arm.of("d", 7),
                Arm.of("e", 40))
            .withBucketing(bucketing);
    return ExperimentTest.engine(
        TestRules.builder()
            .placement(
                new Placement(
                        "home.banner",
                        List.of(
                            Variant.builder("a").build(),
                            Variant.builder("b").build(),
                            Variant.builder("c").build(),
                            Variant.builder("d").build(),
                            Variant.builder("e").build(),
                            Variant.builder("control").asDefault().build()))
                    .withExperiment(x))
            .build());
  }

  @Test
  void optimizelyBucketing_putsThePublishedVectorsInTheirArms() {
    PersonaEngine engine = engine("1886780721", Bucketing.OPTIMIZELY);

    assertThat(arm(engine, Visit.builder("s1").userId("ppid1").build())).isEqualTo("c"); // 5254
    assertThat(arm(engine, Visit.builder("s2").userId("ppid2").build())).isEqualTo("b"); // 4299
    assertThat(arm(engine, Visit.builder("s3").userId("ppid3").build())).isEqualTo("d"); // 5439
    assertThat(arm(engine, Visit.builder("s4").userId(LONG_ID).build())).isEqualTo("e"); // 6128
    assertThat(
            arm(
                engine("1886780722", Bucketing.OPTIMIZELY),
                Visit.builder("s2").userId("ppid2").build()))
        .isEqualTo("a"); // 2434
  }

  @Test
  void optimizelyBucketing_hashesTheSessionId_ofAnAnonymousVisitor() {
    PersonaEngine engine = engine("1886780721", Bucketing.OPTIMIZELY);

    assertThat(arm(engine, Visit.builder("ppid1").build())).isEqualTo("c");
    assertThat(arm(engine, Visit.builder("ppid3").build())).isEqualTo("d");
  }

  @Test
  void defaultBucketing_isPersonasOwn() {
    PersonaEngine engine = engine("1886780721", Bucketing.PERSONA);

    // bucket 0: murmur3("1886780721:ppid1", seed 0)
    assertThat(arm(engine, Visit.builder("s1").userId("ppid1").build())).isEqualTo("a");
    assertThat(
            engine
                .decide(Visit.builder("s1").userId("ppid1").build())
                .variant("home.banner")
                .basis())
        .isEqualTo(Basis.EXPERIMENT);
  }

  private static String arm(PersonaEngine engine, Visit visit) {
    return engine.decide(visit).variant("home.banner").variant();
  }
}
