package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.redis.RedisUnavailableException;
import dev.persona.testing.CapturedLog;
import org.junit.jupiter.api.Test;

/** A Redis that misses its deadline now and then is logged twice an interval, not twice a miss. */
final class FailureLogTest {

  @Test
  void intermittentTimeouts_logOneFailureAndOneRecoveryPerInterval() {
    FailureLog log = new FailureLog("Redis session store", 60_000);

    String lines =
        CapturedLog.during(
            () -> {
              for (int i = 0; i < 1_000; i++) {
                log.failure(timeout());
                log.success();
              }
            });

    assertThat(CapturedLog.count(lines, "WARN dev.persona.redis")).isEqualTo(1);
    assertThat(CapturedLog.count(lines, "Redis answers again")).isEqualTo(1);
    assertThat(log.failures()).isEqualTo(1_000);
  }

  @Test
  void afterTheInterval_theNextLinesSayHowManyWereLeftOut() throws InterruptedException {
    FailureLog log = new FailureLog("Redis session store", 200);

    String lines =
        CapturedLog.during(
            () -> {
              log.failure(timeout());
              log.success();
              log.failure(timeout());
              log.success();
              sleep(250); // past the interval: the next failure and recovery are logged
              log.failure(timeout());
              log.success();
            });

    assertThat(lines)
        .contains("(and 1 more times since the last report)")
        .contains("Redis answers again (after 1 more interruptions since the last report)");
  }

  private static RedisUnavailableException timeout() {
    return new RedisUnavailableException(RedisUnavailableException.Kind.TIMEOUT, null);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
