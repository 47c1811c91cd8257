package dev.persona.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.persona.ruleset.Experiment;
import dev.persona.ruleset.Optimization;
import dev.persona.ruleset.Placement;
import dev.persona.ruleset.RuleSet;
import dev.persona.ruleset.RuleSetException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

final class PlacementModesReaderTest {
  private final RuleSetReader reader = RuleSetReader.create();

  private static String file(String... placements) {
    return String.join(
        "\n",
        "{",
        "  \"version\": \"v1\",",
        "  \"personas\": [{\"id\": \"p\", \"name\": \"P\", \"threshold\": 0.5}],",
        "  \"placements\": [",
        String.join(",\n", placements),
        "  ]",
        "}");
  }

  @Test
  void experimentsAndOptimizedPlacements_read() {
    RuleSet rules =
        reader.read(
            file(
                "    {\"id\": \"banner\", \"experiment\": {\"id\": \"banner-1\", \"arms\": ["
                    + "{\"variant\": \"a\", \"percent\": 45.5}, {\"variant\": \"b\", \"percent\": 45.5}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"tiles\", \"optimize\": {\"goal\": \"purchase\", \"warmup\": 20,"
                    + " \"exploration\": 0.1},"
                    + " \"variants\": [{\"id\": \"x\"}, {\"id\": \"y\", \"default\": true}]}",
                "    {\"id\": \"strip\", \"optimize\": {},"
                    + " \"variants\": [{\"id\": \"x\"}, {\"id\": \"y\", \"default\": true}]}"),
            "modes.json");

    List<Placement> p = rules.placements();
    assertThat(p.get(0).mode()).isEqualTo(Placement.Mode.EXPERIMENT);
    assertThat(p.get(0).experiment())
        .isEqualTo(
            Experiment.of("banner-1", Experiment.Arm.of("a", 45.5), Experiment.Arm.of("b", 45.5)));
    assertThat(p.get(1).optimization())
        .isEqualTo(new Optimization(Optimization.Goal.PURCHASE, 20, 0.1));
    assertThat(p.get(2).optimization()).isEqualTo(Optimization.DEFAULTS);
  }

  @Test
  void halfLifeOfEvidence_isRead_andDefaults() {
    RuleSet rules =
        reader.read(
            file(
                "    {\"id\": \"a\", \"optimize\": {\"half_life\": 5000},"
                    + " \"variants\": [{\"id\": \"x\"}, {\"id\": \"y\", \"default\": true}]}",
                "    {\"id\": \"b\", \"optimize\": {\"half_life\": 0},"
                    + " \"variants\": [{\"id\": \"x\"}, {\"id\": \"y\", \"default\": true}]}",
                "    {\"id\": \"c\", \"optimize\": {\"goal\": \"click\"},"
                    + " \"variants\": [{\"id\": \"x\"}, {\"id\": \"y\", \"default\": true}]}"),
            "half-life.json");

    List<Placement> p = rules.placements();
    assertThat(p.get(0).optimization().halfLife()).isEqualTo(5_000);
    assertThat(p.get(1).optimization().halfLife()).isZero();
    assertThat(p.get(2).optimization().halfLife()).isEqualTo(Optimization.DEFAULT_HALF_LIFE);
  }

  @Test
  void badHalfLives_areReportedWhereTheyStand() {
    String json =
        file(
            "    {\"id\": \"a\", \"optimize\": {\"half_life\": 50},"
                + " \"variants\": [{\"id\": \"x\", \"default\": true}]}",
            "    {\"id\": \"b\", \"optimize\": {\"half_life\": -2000},"
                + " \"variants\": [{\"id\": \"x\", \"default\": true}]}",
            "    {\"id\": \"c\", \"optimize\": {\"half_life\": 2000.5},"
                + " \"variants\": [{\"id\": \"x\", \"default\": true}]}",
            "    {\"id\": \"d\", \"optimize\": {\"half_life\": \"1h\"},"
                + " \"variants\": [{\"id\": \"x\", \"default\": true}]}",
            "    {\"id\": \"e\", \"optimize\": {\"half_life\": 1e12},"
                + " \"variants\": [{\"id\": \"x\", \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "half-life.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "half-life.json:5:43: half_life must be 0 (never forget) or at least 100"
                            + " exposures, was 50 (at $.placements[0].optimize.half_life)",
                        "half-life.json:6:43: half_life must be 0 (never forget) or at least 100"
                            + " exposures, was -2000 (at $.placements[1].optimize.half_life)",
                        "half-life.json:7:43: expected a whole number, found a number"
                            + " (at $.placements[2].optimize.half_life)",
                        "half-life.json:8:43: expected a whole number, found a string"
                            + " (at $.placements[3].optimize.half_life)",
                        "half-life.json:9:43: expected a whole number, found a number"
                            + " (at $.placements[4].optimize.half_life)"));
  }

  @Test
  void badModes_areReportedWithTheirPositions() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 70},"
                + " {\"variant\": \"b\", \"percent\": 40}]}, \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\","
                + " \"default\": true}]}",
            "    {\"id\": \"a2\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"zz\", \"percent\": 10}]},"
                + " \"variants\": [{\"id\": \"a\", \"default\": true}]}",
            "    {\"id\": \"a3\", \"optimize\": {\"goal\": \"views\", \"exploration\": 1.5},"
                + " \"variants\": [{\"id\": \"a\", \"default\": true}]}",
            "    {\"id\": \"a4\", \"optimize\": {\"warmup\": -1}, \"experiment\": {\"id\": \"e\", \"arms\": []},"
                + " \"variants\": [{\"id\": \"a\", \"default\": true}]}",
            "    {\"id\": \"a5\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 0}]},"
                + " \"optimize\": {}, \"variants\": [{\"id\": \"a\", \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "modes.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "modes.json:5:32: experiment 'e': arms add up to 110.0 percent, more than 100"
                            + " (at $.placements[0].experiment)",
                        "modes.json:6:5: placement 'a2': experiment arm names unknown variant 'zz'"
                            + " (at $.placements[1])",
                        "modes.json:7:39: expected one of [click, add_to_cart, purchase], found"
                            + " 'views' (at $.placements[2].optimize.goal)",
                        "modes.json:8:30: warmup must not be negative, was -1"
                            + " (at $.placements[3].optimize)",
                        "modes.json:8:60: experiment 'e' needs at least one arm"
                            + " (at $.placements[3].experiment)",
                        "modes.json:9:53: arm 'a': percent must be more than 0 and at most 100,"
                            + " was 0.0 (at $.placements[4].experiment.arms[0])"));
  }

  @Test
  void anArmSmallerThanOneBucket_isRefusedAtTheArm() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 0.005},"
                + " {\"variant\": \"b\", \"percent\": 99.995}]}, \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\","
                + " \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "tiny.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .startsWith(
                        "tiny.json:5:53: arm 'a': percent 0.005 is not a whole number of 0.01"
                            + " steps (one bucket each), so the arm would not get the share it"
                            + " states (at $.placements[0].experiment.arms[0])"));
  }

  @Test
  void experimentsThatCouldNotBeMeasured_areReportedWithTheirPositions() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 30},"
                + " {\"variant\": \"b\", \"percent\": 30}]}, \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\","
                + " \"default\": true}]}",
            "    {\"id\": \"a2\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 10}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"x\"}, {\"id\": \"b\", \"default\": true}]}",
            "    {\"id\": \"a3\", \"experiment\": {\"id\": \"persona-holdout\", \"arms\": [{\"variant\": \"a\","
                + " \"percent\": 50.005}, {\"variant\": \"b\", \"percent\": 49.995}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}");
    String twice =
        file(
            "    {\"id\": \"a4\", \"experiment\": {\"id\": \"e\", \"arms\": [{\"variant\": \"a\", \"percent\": 50},"
                + " {\"variant\": \"a\", \"percent\": 50}]}, \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\","
                + " \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "measured.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "measured.json:5:86: arm 'b' shows the default variant while the arms add"
                            + " up to less than 100 percent: visitors outside every arm see the"
                            + " default too; make another variant the default, or let the arms add"
                            + " up to 100 (at $.placements[0].experiment.arms[1])",
                        "measured.json:6:114: variant 'x' has neither targets nor a condition, so"
                            + " it would always win; give it targets or a condition, or make it the"
                            + " default (at $.placements[1].variants[1])",
                        "measured.json:7:39: experiment id 'persona-holdout' is the holdout's: its"
                            + " arms would split the holdout's visitors unevenly (at"
                            + " $.placements[2].experiment.id)",
                        "measured.json:7:67: arm 'a': percent 50.005 is not a whole number of 0.01"
                            + " steps (one bucket each), so the arm would not get the share it"
                            + " states (at $.placements[2].experiment.arms[0])",
                        "measured.json:7:104: arm 'b': percent 49.995 is not a whole number of 0.01"
                            + " steps (one bucket each), so the arm would not get the share it"
                            + " states (at $.placements[2].experiment.arms[1])"));
    assertThatThrownBy(() -> reader.read(twice, "twice.json"))
        .hasMessageContaining(
            "twice.json:5:32: experiment 'e': variant 'a' has two arms (at $.placements[0].experiment)");
  }

  @Test
  void experimentBucketing_reads_andDefaultsToPersonas() {
    RuleSet rules =
        reader.read(
            file(
                "    {\"id\": \"banner\", \"experiment\": {\"id\": \"1886780721\", \"bucketing\":"
                    + " \"optimizely\", \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"strip\", \"experiment\": {\"id\": \"e\", \"bucketing\": \"persona\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"tiles\", \"experiment\": {\"id\": \"e\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}"),
            "bucketing.json");

    List<Placement> p = rules.placements();
    assertThat(p.get(0).experiment())
        .isEqualTo(
            Experiment.of("1886780721", Experiment.Arm.of("a", 50))
                .withBucketing(Experiment.Bucketing.OPTIMIZELY));
    assertThat(p.get(1).experiment().bucketing()).isEqualTo(Experiment.Bucketing.PERSONA);
    assertThat(p.get(2).experiment().bucketing()).isEqualTo(Experiment.Bucketing.PERSONA);
  }

  @Test
  void experimentStickiness_reads_andDefaultsToOff() {
    RuleSet rules =
        reader.read(
            file(
                "    {\"id\": \"banner\", \"experiment\": {\"id\": \"e\", \"sticky\": \"session\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"strip\", \"experiment\": {\"id\": \"e\", \"sticky\": \"user\","
                    + " \"bucketing\": \"optimizely\", \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"tiles\", \"experiment\": {\"id\": \"e\", \"sticky\": \"off\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"hero\", \"experiment\": {\"id\": \"e\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}"),
            "sticky.json");

    List<Placement> p = rules.placements();
    assertThat(p.get(0).experiment())
        .isEqualTo(
            Experiment.of("e", Experiment.Arm.of("a", 50)).withSticky(Experiment.Sticky.SESSION));
    assertThat(p.get(1).experiment())
        .isEqualTo(
            Experiment.of("e", Experiment.Arm.of("a", 50))
                .withSticky(Experiment.Sticky.USER)
                .withBucketing(Experiment.Bucketing.OPTIMIZELY));
    assertThat(p.get(2).experiment().sticky()).isEqualTo(Experiment.Sticky.OFF);
    assertThat(p.get(3).experiment().sticky()).isEqualTo(Experiment.Sticky.OFF);
  }

  @Test
  void badStickiness_isReportedWithItsPosition() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"sticky\": true,"
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}",
            "    {\"id\": \"a2\", \"experiment\": {\"id\": \"e\", \"sticky\": \"visitor\","
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "sticky.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "sticky.json:5:54: expected a string, found a boolean"
                            + " (at $.placements[0].experiment.sticky)",
                        "sticky.json:6:54: expected one of [off, session, user], found 'visitor'"
                            + " (at $.placements[1].experiment.sticky)"));
  }

  @Test
  void badBucketing_isReportedWithItsPosition() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"bucketing\": \"Optimizely\","
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}",
            "    {\"id\": \"a2\", \"experiment\": {\"id\": \"e\", \"bucketing\": 1,"
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "bucketing.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "bucketing.json:5:57: expected one of [persona, optimizely], found"
                            + " 'Optimizely' (at $.placements[0].experiment.bucketing)",
                        "bucketing.json:6:57: expected a string, found a number"
                            + " (at $.placements[1].experiment.bucketing)"));
  }

  @Test
  void experimentStartAndEnd_readAsInstants_andDefaultToNone() {
    RuleSet rules =
        reader.read(
            file(
                "    {\"id\": \"banner\", \"experiment\": {\"id\": \"e\","
                    + " \"start\": \"2026-11-20T00:00:00Z\", \"end\": \"2026-11-27T12:30:00Z\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"strip\", \"experiment\": {\"id\": \"e\", \"end\": \"2026-12-01T00:00:00Z\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}",
                "    {\"id\": \"hero\", \"experiment\": {\"id\": \"e\","
                    + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                    + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"c\", \"default\": true}]}"),
            "schedule.json");

    List<Placement> p = rules.placements();
    assertThat(p.get(0).experiment())
        .isEqualTo(
            Experiment.of("e", Experiment.Arm.of("a", 50))
                .withStart(Instant.parse("2026-11-20T00:00:00Z"))
                .withEnd(Instant.parse("2026-11-27T12:30:00Z")));
    assertThat(p.get(1).experiment().start()).isNull();
    assertThat(p.get(1).experiment().end()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(p.get(2).experiment().start()).isNull();
    assertThat(p.get(2).experiment().end()).isNull();
  }

  @Test
  void badStartOrEnd_isReportedWithItsPosition() {
    String json =
        file(
            "    {\"id\": \"a1\", \"experiment\": {\"id\": \"e\", \"start\": \"2026-11-20\","
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}",
            "    {\"id\": \"a2\", \"experiment\": {\"id\": \"e\", \"end\": 1764547200,"
                + " \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}",
            "    {\"id\": \"a3\", \"experiment\": {\"id\": \"e\", \"start\": \"2026-12-01T00:00:00Z\","
                + " \"end\": \"2026-11-01T00:00:00Z\", \"arms\": [{\"variant\": \"a\", \"percent\": 50}]},"
                + " \"variants\": [{\"id\": \"a\"}, {\"id\": \"b\", \"default\": true}]}");

    assertThatThrownBy(() -> reader.read(json, "schedule.json"))
        .isInstanceOfSatisfying(
            RuleSetException.class,
            e ->
                assertThat(e.problems())
                    .extracting(RuleSetException.Problem::toString)
                    .containsExactly(
                        "schedule.json:5:53: start must be an ISO-8601 instant such as"
                            + " 2026-11-23T00:00:00Z, found '2026-11-20'"
                            + " (at $.placements[0].experiment.start)",
                        "schedule.json:6:51: expected a string, found a number"
                            + " (at $.placements[1].experiment.end)",
                        "schedule.json:7:32: experiment 'e': its end 2026-11-01T00:00:00Z is not"
                            + " after its start 2026-12-01T00:00:00Z (at $.placements[2].experiment)"));
  }
}
