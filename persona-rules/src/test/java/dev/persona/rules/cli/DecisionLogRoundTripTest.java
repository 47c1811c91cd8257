package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.VariantChoice;
import dev.persona.log.Redecider;
import dev.persona.rules.RuleSetReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the decision log writes is what {@code persona evaluate} reads: the bundled example sessions
 * through the default rules, logged by {@code replay --log}, read back line by line and decided
 * again on their logged signals, give the same persona and the same personalized variants.
 */
final class DecisionLogRoundTripTest {
  @TempDir Path dir;

  @Test
  void loggedSignals_decidedAgain_giveTheLoggedDecision() throws IOException {
    Path sessions = dir.resolve("sessions.jsonl");
    try (InputStream in = DemoCommand.class.getResourceAsStream(DemoCommand.RESOURCE)) {
      Files.write(sessions, in.readAllBytes());
    }
    Path log = dir.resolve("decisions.jsonl");
    Cli replay = Cli.run("replay", "--log", log.toString(), sessions.toString());
    assertThat(replay.code()).as(replay.all()).isZero();

    Redecider again = Redecider.of(RuleSetReader.defaultRuleSet());
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(replay.outLines().size()).hasSizeGreaterThan(20);
    int personas = 0;
    int limited = 0;
    for (String line : lines) {
      LogRecords.LoggedDecision d = (LogRecords.LoggedDecision) LogRecords.parse(line);
      if (d.signals() == null) {
        assertThat(line).contains("\"consent\":\"request_only\"");
        limited++;
        continue;
      }
      Redecider.Result r = again.decide(d.signals());
      assertThat(r.persona()).as(line).isEqualTo(d.persona());
      personas += d.persona() == null ? 0 : 1;
      for (LogRecords.Choice c : d.choices()) {
        if (Set.of("persona", "condition", "default").contains(c.basis())) {
          VariantChoice own = r.choice(c.placement());
          assertThat(own.variant()).as("%s in %s", c.placement(), line).isEqualTo(c.variant());
          assertThat(own.basis().name().toLowerCase(java.util.Locale.ROOT)).isEqualTo(c.basis());
        }
      }
    }
    assertThat(personas).as("decisions with a persona").isGreaterThan(10);
    assertThat(limited)
        .as("decisions under limited consent, logged without signals")
        .isBetween(1, 3);
  }
}
