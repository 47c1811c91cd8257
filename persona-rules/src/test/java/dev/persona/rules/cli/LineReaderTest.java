package dev.persona.rules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

final class LineReaderTest {

  @Test
  void splitsLines_dropsCarriageReturnsAndTheByteOrderMark() throws IOException {
    assertThat(lines("\uFEFFa\r\nb\n\nc", 100)).containsExactly("a", "b", "", "c");
    assertThat(lines("a\n", 100)).containsExactly("a");
    assertThat(lines("", 100)).isEmpty();
  }

  @Test
  void aLineLongerThanTheLimit_isSkippedAndFlagged() throws IOException {
    LineReader r = new LineReader(new StringReader("short\n" + "x".repeat(200_000) + "\nnext"), 10);

    assertThat(r.next()).isEqualTo("short");
    assertThat(r.tooLong()).isFalse();
    assertThat(r.next()).isEmpty();
    assertThat(r.tooLong()).isTrue();
    assertThat(r.number()).isEqualTo(2);
    assertThat(r.next()).isEqualTo("next");
    assertThat(r.tooLong()).isFalse();
    assertThat(r.next()).isNull();
  }

  private static List<String> lines(String text, int max) throws IOException {
    List<String> out = new ArrayList<>();
    LineReader r = new LineReader(new StringReader(text), max);
    for (String l = r.next(); l != null; l = r.next()) {
      out.add(l);
    }
    return out;
  }
}
