package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.KillArgs;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Changes made while a connection did not track go unreported: the listener hears that every key
 * may have changed when the connection is lost, and again once it tracks, since whatever the
 * instance looked at in between (the sessions it wrote lately, read again) may have changed before
 * Redis reported changes again.
 */
final class TrackingTest extends WithRedis {
  @Test
  void afterAReconnect_theListenerHearsOfEveryKey_onceTheConnectionTracksAgain() {
    try (RedisLink link = Races.link(redis.uri())) {
      AtomicInteger everyKeyWhileTracking = new AtomicInteger();
      link.track(
          "t:",
          keys -> {
            if (keys == null && link.tracking()) {
              everyKeyWhileTracking.incrementAndGet();
            }
          });
      awaitTrue(link::tracking);
      int before = everyKeyWhileTracking.get();
      long epoch = link.trackingEpoch();

      redis.admin(r -> r.clientKill(KillArgs.Builder.typeNormal()));
      awaitTrue(() -> link.trackingEpoch() - epoch >= 2 && link.tracking()); // off, then on

      awaitTrue(() -> everyKeyWhileTracking.get() > before);
      assertThat(everyKeyWhileTracking.get()).isGreaterThan(before);
    }
  }
}
