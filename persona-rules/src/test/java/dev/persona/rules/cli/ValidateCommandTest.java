package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ValidateCommandTest {
  private static final String POSITIONED = "^.+:\\d+:\\d+: .+ \\(at \\$.*\\)$";

  @TempDir Path dir;

  @Test
  void goodFiles_exit0() throws IOException {
    Path a = Cli.write(dir, "a.json", Cli.rules(0.6));
    Path b = Cli.write(dir, "b.json", Cli.rules(0.4));

    Cli r = Cli.run("validate", a.toString(), b.toString());

    assertThat(r.code()).isZero();
    assertThat(r.outLines())
        .containsExactly(
            a + ": ok (version test-0.6; 2 personas, 2 rules, 1 placement)",
            b + ": ok (version test-0.4; 2 personas, 2 rules, 1 placement)");
  }

  @Test
  void theDefaultRuleSet_validates() {
    Cli r = Cli.run("validate", "default");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("default: ok");
  }

  @Test
  void malformedFile_reportsFileLineColumn() throws IOException {
    Path f =
        Cli.write(dir, "malformed.json", "{", "  \"version\": \"v1\",", "  \"personas\": [}", "}");

    Cli r = Cli.run("validate", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines()).isNotEmpty().allMatch(l -> l.matches(POSITIONED));
    assertThat(r.out()).startsWith(f + ":3:");
    assertNoStackTrace(r);
  }

  @Test
  void truncatedFile_reportsFileLineColumn() throws IOException {
    Path f = Cli.write(dir, "truncated.json", "{\"version\": \"v1\", \"personas\": [");

    Cli r = Cli.run("validate", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines()).isNotEmpty().allMatch(l -> l.matches(POSITIONED));
    assertThat(r.out()).startsWith(f + ":").contains("end-of-input");
    assertNoStackTrace(r);
  }

  @Test
  void duplicateKey_reportsWhere() throws IOException {
    Path f =
        Cli.write(dir, "dup.json", "{", "  \"version\": \"v1\",", "  \"version\": \"v2\"", "}");

    Cli r = Cli.run("validate", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines()).singleElement().asString().matches(POSITIONED).startsWith(f + ":3:");
    assertThat(r.out()).containsIgnoringCase("duplicate").contains("(at $.version)");
    assertNoStackTrace(r);
  }

  @Test
  void wrongTypes_areAllReported() throws IOException {
    Path f =
        Cli.write(
            dir,
            "types.json",
            "{",
            "  \"version\": 7,",
            "  \"personas\": [{\"id\": \"p\", \"name\": \"P\", \"threshold\": \"high\"}]",
            "}");

    Cli r = Cli.run("validate", f.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines()).hasSizeGreaterThanOrEqualTo(2).allMatch(l -> l.matches(POSITIONED));
    assertThat(r.out()).contains(f + ":2:", f + ":3:", "$.version", "$.personas[0].threshold");
    assertNoStackTrace(r);
  }

  @Test
  void oneBadFileAmongGoodOnes_exits1AndStillReportsTheGood() throws IOException {
    Path good = Cli.write(dir, "good.json", Cli.rules(0.6));
    Path bad = Cli.write(dir, "bad.json", "{\"version\": \"\"}");

    Cli r = Cli.run("validate", good.toString(), bad.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).contains(good + ": ok", bad + ":1:");
    assertThat(r.err()).contains("1 of 2 files did not load");
  }

  @Test
  void unreadableFile_saysSoWithoutAStackTrace() {
    Path missing = dir.resolve("missing.json");

    Cli r = Cli.run("validate", missing.toString(), dir.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.outLines())
        .containsExactly(
            missing + ": cannot read: no such file", dir + ": cannot read: Is a directory");
    assertNoStackTrace(r);
  }

  @Test
  void noFiles_isAUsageError() {
    assertThat(Cli.run("validate").code()).isEqualTo(2);
  }

  static void assertNoStackTrace(Cli r) {
    assertThat(r.all()).doesNotContain("Exception").doesNotContain("at java.");
  }
}
