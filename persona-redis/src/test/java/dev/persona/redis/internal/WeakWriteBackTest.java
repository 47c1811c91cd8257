package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SessionScript#RESTORE} with a weak copy, what a write whose answer never came sent: it
 * fills a gone key and loses to every copy written back in the usual way, whatever their visits, so
 * that a state it may not hold (a denial of consent written on top of it, say) is never kept out.
 */
final class WeakWriteBackTest {
  private static final byte[] KEY = bytes("race:s:{k}");
  private static final byte[] HOLD = SessionKeys.writeBackHold(KEY);

  private RedisServer redis;
  private RedisLink link;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    link = Races.link(redis.uri());
  }

  @AfterEach
  void stop() {
    link.close();
    redis.close();
  }

  @Test
  void aCopyWrittenBackWithFewerVisits_replacesAWeakCopy() {
    assertThat(restore("weak-9", 9, true)).as("a weak copy on a gone key").isTrue();
    assertThat(restore("strong-2", 2, false)).as("a usual copy, fewer visits").isTrue();
    assertThat(data()).isEqualTo("strong-2");
  }

  @Test
  void aWeakCopy_neverReplacesACopyWrittenBack_evenWithMoreVisits() {
    assertThat(restore("strong-2", 2, false)).isTrue();
    assertThat(restore("weak-20", 20, true)).as("a weak copy after it").isFalse();
    assertThat(data()).isEqualTo("strong-2");
  }

  private boolean restore(String state, int visits, boolean weak) {
    byte[][] args = {
      bytes("t-" + state),
      bytes(state),
      bytes("60000"),
      bytes(Integer.toString(visits)),
      bytes("1"), // the hold, 1 ms: these tests do not write through it
      bytes(weak ? "1" : "0"),
      bytes("0") // written on no erasure
    };
    List<Object> answer =
        link.eval(SessionScript.RESTORE, new byte[][] {KEY, HOLD}, deadline(), args);
    return Long.valueOf(1).equals(answer.get(0));
  }

  private String data() {
    List<Object> read = link.eval(SessionScript.CAS, KEY, deadline(), SessionScript.READ);
    return new String((byte[]) read.get(2), StandardCharsets.UTF_8);
  }

  private static long deadline() {
    return System.nanoTime() + 5_000_000_000L;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
