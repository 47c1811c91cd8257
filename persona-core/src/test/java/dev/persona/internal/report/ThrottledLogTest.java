package dev.persona.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

final class ThrottledLogTest {
  private static final long INTERVAL_MILLIS = 200;

  @Test
  void manyFailures_oneLinePerInterval_andTheNextLineTalliesTheRest() throws InterruptedException {
    ThrottledLog failures =
        new ThrottledLog(LoggerFactory.getLogger("dev.persona.test"), INTERVAL_MILLIS);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    String first;
    String second;
    try {
      for (int i = 0; i < 10; i++) {
        failures.failure("extractor 'x'", new IllegalStateException("SECRET"));
      }
      first = captured.toString(StandardCharsets.UTF_8);
      Thread.sleep(INTERVAL_MILLIS + 50);
      failures.failure("extractor 'x'", new IllegalStateException("SECRET"));
      second = captured.toString(StandardCharsets.UTF_8).substring(first.length());
    } finally {
      System.setErr(original);
    }

    assertThat(first.lines().filter(l -> l.contains("WARN"))).hasSize(1);
    assertThat(first)
        .contains("extractor 'x' failed with java.lang.IllegalStateException;")
        .doesNotContain("more times");
    assertThat(second.lines().filter(l -> l.contains("WARN")))
        .singleElement()
        .asString()
        .contains("(and 9 more times since the last report)");
    assertThat(first + second).doesNotContain("SECRET");
  }
}
