package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background writer's order and failure handling, with a {@link SessionWriter.Flush} fake. */
final class SessionWriterTest {

  /**
   * Links whose write fails end the round, as any failure does: what comes after them waits for the
   * backoff, and the links are queued again.
   */
  @Test
  void linksThatFail_endTheRound_andWaitAgain() {
    PendingWrites pending = new PendingWrites(1_000);
    AtomicInteger linkCalls = new AtomicInteger();
    AtomicInteger flushAllCalls = new AtomicInteger();
    SessionWriter writer =
        new SessionWriter(
            pending,
            new SessionWriter.Flush() {
              @Override
              public void flush(String name, long deadlineNanos) {}

              @Override
              public boolean flushEach(List<String> names) {
                return true;
              }

              @Override
              public boolean flushAll(List<String> names) {
                flushAllCalls.incrementAndGet();
                return true;
              }

              @Override
              public List<byte[][]> links(List<byte[][]> links, long deadlineNanos) {
                linkCalls.incrementAndGet();
                throw new IllegalStateException("as if Redis failed");
              }

              @Override
              public boolean eraseUsers(List<PendingWrites.UserErasure> users) {
                return true;
              }

              @Override
              public void idle(long deadlineNanos) {}
            },
            Duration.ofSeconds(1));
    pending.link(ascii("u"), ascii("s"), 1);
    try {
      writer.wake();
      Races.awaitTrue(() -> linkCalls.get() >= 3, 10);

      assertThat(flushAllCalls.get()).as("rounds that went on past the failed links").isZero();
      assertThat(pending.linksWait()).as("the link waits again").isTrue();
    } finally {
      writer.close(Duration.ZERO);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
