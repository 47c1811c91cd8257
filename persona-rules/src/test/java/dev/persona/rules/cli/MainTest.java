package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class MainTest {

  @Test
  void noArguments_printsUsageAndExits2() {
    Cli r = Cli.run();

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("usage: persona COMMAND").contains("validate", "demo");
  }

  @Test
  void help_printsUsageOnStdoutAndExits0() {
    Cli r = Cli.run("--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("usage: persona COMMAND", "explain", "replay", "diff");
  }

  @Test
  void commandHelp_printsThatCommandsUsage() {
    Cli r = Cli.run("replay", "--help");

    assertThat(r.code()).isZero();
    assertThat(r.out()).startsWith("usage: persona replay");
  }

  /** Exit status 3: anything the tool did not expect, such as a bug or running out of memory. */
  @Test
  void anUnexpectedFailure_exits3_withOneLineOnStandardError() {
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new IllegalStateException("stdout broke");
          }

          @Override
          public void write(byte[] b, int off, int len) {
            throw new IllegalStateException("stdout broke");
          }
        };
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"demo"},
            InputStream.nullInputStream(),
            new PrintStream(broken, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("persona demo: unexpected failure: ")
        .contains("stdout broke");
  }

  @Test
  void unknownCommand_isAUsageError() {
    Cli r = Cli.run("frobnicate");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown command 'frobnicate'", "usage: persona COMMAND");
  }

  @Test
  void unknownOption_orMissingArgument_isAUsageErrorWithTheCommandsUsage() {
    Cli unknown = Cli.run("replay", "--rulez", "x", "s.jsonl");
    Cli missing = Cli.run("explain");
    Cli noValue = Cli.run("replay", "s.jsonl", "--rules");

    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown option --rulez", "usage: persona replay");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("missing VISIT.json", "usage: persona explain");
    assertThat(noValue.code()).isEqualTo(2);
    assertThat(noValue.err()).contains("--rules needs a value");
  }

  @Test
  void diffWithoutBothRuleSets_isAUsageError() {
    Cli r = Cli.run("diff", "--rules", "default", "s.jsonl");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("missing --against");
  }
}
