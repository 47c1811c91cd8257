package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Numbers are printed for people, and progress is shown in place, only in a terminal. */
final class ReadableOutputTest {
  @Test
  void measuredNumbers_areRoundedForPeople() {
    assertThat(Text.human(0.6499999999999999)).isEqualTo("0.65");
    assertThat(Text.human(0.051234)).isEqualTo("0.0512");
    assertThat(Text.human(12.3456)).isEqualTo("12.35");
    assertThat(Text.human(3.0)).isEqualTo("3");
    assertThat(Text.human(0)).isEqualTo("0");
    assertThat(Text.human(-0.000123456)).isEqualTo("-0.000123");
    assertThat(Text.human(1234567.891)).isEqualTo("1234567.89");
    assertThat(Text.human(Double.NaN)).isEqualTo("-");
  }

  @Test
  void progress_isOneLineRewrittenInPlace_atMostOnceASecond_andClearedAtTheEnd() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    AtomicLong nanos = new AtomicLong();
    Progress p = new Progress(err, true, nanos::get);

    p.show("read 1,000 lines");
    nanos.set(1_000_000_000L);
    p.show("read 2,000 lines");
    nanos.set(1_500_000_000L);
    p.show("read 3,000 lines");
    nanos.set(2_000_000_000L);
    p.show("read 40 lines");
    p.done();

    assertThat(bytes.toString(StandardCharsets.UTF_8))
        .isEqualTo("\rread 2,000 lines" + "\rread 40 lines   " + "\r" + " ".repeat(13) + "\r");
  }

  @Test
  void progress_isSilentOutsideATerminal() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Progress p = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, () -> 0);
    p.show("read");
    p.done();
    assertThat(bytes.size()).isZero();
  }
}
