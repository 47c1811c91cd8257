package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class SessionKeysTest {

  private static String key(SessionKeys keys, String id) {
    return new String(keys.of(id), StandardCharsets.UTF_8);
  }

  @Test
  void key_isThePrefixAndTheFirst128BitsOfSha256() {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(key(new SessionKeys("persona:", null), "abc"))
        .isEqualTo("persona:s:ba7816bf8f01cfea414140de5dae2223");
  }

  @Test
  void keyedKeys_areHmacSha256() {
    // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?")
    SessionKeys keys = new SessionKeys("", "Jefe".getBytes(StandardCharsets.US_ASCII));
    assertThat(key(keys, "what do ya want for nothing?"))
        .isEqualTo("s:5bdcc146bf60754e6a042426089575c7");
  }

  @Test
  void keys_areStableAndDistinct_underConcurrentUse() throws Exception {
    SessionKeys keys = new SessionKeys("p:", null);
    String expected = key(keys, "session-1");
    Thread[] threads = new Thread[4];
    boolean[] ok = new boolean[threads.length];
    for (int t = 0; t < threads.length; t++) {
      int n = t;
      threads[t] =
          new Thread(
              () -> {
                boolean all = true;
                for (int i = 0; i < 10_000; i++) {
                  all &= key(keys, "session-1").equals(expected);
                  all &= !key(keys, "session-" + i).equals(expected) || i == 1;
                }
                ok[n] = all;
              });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertThat(ok).containsOnly(true);
  }
}
