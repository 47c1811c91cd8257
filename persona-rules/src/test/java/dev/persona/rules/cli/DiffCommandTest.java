package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class DiffCommandTest {
  @TempDir Path dir;

  @Test
  void oneWeightChanged_findsTheVisitsAndSessionsThatChange() throws IOException {
    Path a = Cli.write(dir, "a.json", Cli.rules(0.6));
    Path b = Cli.write(dir, "b.json", Cli.rules(0.4));
    String coupon = "\"events\": [{\"type\": \"apply_coupon\"}]";
    Path sessions =
        Cli.write(
            dir,
            "sessions.jsonl",
            "{\"session\": \"s1\", " + coupon + "}",
            "{\"session\": \"s2\", \"events\": [{\"type\": \"product_view\"}]}",
            "{\"session\": \"s1\"}",
            "not a visit",
            "{\"session\": \"s3\", " + coupon + "}");

    Cli r =
        Cli.run("diff", "--rules", a.toString(), "--against", b.toString(), sessions.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("A  " + a + " (version test-0.6)")
        .contains("B  " + b + " (version test-0.4)")
        .contains("5 lines, 4 visits compared, 1 bad line skipped")
        .contains("changed: 3 of 4 visits (75.0%) in 2 sessions")
        .containsPattern("primary persona +3 visits in 2 sessions")
        .contains("line 1, session s1: value_hunter -> (none)")
        .contains("line 3, session s1: value_hunter -> (none)")
        .contains("line 5, session s3: value_hunter -> (none)")
        .containsPattern("lifecycle +no change")
        .containsPattern("stage +no change")
        .containsPattern("variant home.hero +3 visits in 2 sessions")
        .contains("line 1, session s1: flash-sale -> new-season");
    assertThat(r.err()).contains(sessions + ":4: ");
  }

  @Test
  void sameRules_changeNothing_andDefaultIsAccepted() throws IOException {
    Path sessions =
        Cli.write(dir, "s.jsonl", "{\"session\": \"s1\", \"events\": [{\"type\": \"share\"}]}");

    Cli r = Cli.run("diff", "--rules", "default", "--against", "default", sessions.toString());

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("changed: 0 of 1 visits").doesNotContain("->");
  }
}
