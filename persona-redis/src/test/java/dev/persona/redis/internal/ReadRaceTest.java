package dev.persona.redis.internal;

import static dev.persona.redis.internal.Races.engine;
import static dev.persona.redis.internal.Races.productView;
import static org.assertj.core.api.Assertions.assertThat;

import dev.persona.spi.SessionState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A read ({@code get}) whose copy another instance changes before it is kept: Redis's report of
 * that change, heard between the read's answer and the copy being kept, is not lost, and the copy
 * is read again rather than taken for current for as long as it is held. The read is held at {@link
 * RedisSessions.Probe} point {@code "read"}, as a busy machine holds the thread that sent it.
 */
final class ReadRaceTest extends WithRedis {
  @Test
  void aChangeReportedWhileAReadIsKept_hasTheNextReadSeeIt() throws Exception {
    RedisLink readerLink = Races.link(redis.uri());
    try (RedisSessions writer = Races.sessions(redis.uri(), false, 1_000);
        RedisSessions reader = Races.patient(readerLink)) {
      engine(writer).decide(productView("s"));
      Races.Gate read = new Races.Gate("read");
      reader.probe(read::at);
      read.arm();
      CompletableFuture<SessionState> first = CompletableFuture.supplyAsync(() -> reader.get("s"));
      read.awaitReached(); // read: one visit

      engine(writer).decide(productView("s")); // lands after the read
      // the report came before the answer to a command sent after the write, on the same link
      assertThat(Races.answers(readerLink)).isTrue();
      read.open();
      assertThat(first.get(20, TimeUnit.SECONDS).visits()).isEqualTo(1);

      SessionState next = reader.get("s");
      assertThat(next).isNotNull();
      assertThat(next.visits()).as("visits after the reported change").isEqualTo(2);
    }
  }
}
