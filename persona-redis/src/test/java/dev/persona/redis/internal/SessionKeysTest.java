package dev.persona.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class SessionKeysTest {

  private static String key(SessionKeys keys, String id) {
    return new String(keys.of(id), StandardCharsets.UTF_8);
  }

  @Test
  void key_isThePrefixAndTheFirst128BitsOfSha256_asAHashTag() {
    // SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assertThat(key(new SessionKeys("persona:", null), "abc"))
        .isEqualTo("persona:s:{ba7816bf8f01cfea414140de5dae2223}");
  }

  @Test
  void keyedKeys_areHmacSha256() {
    // RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?")
    SessionKeys keys = new SessionKeys("", "Jefe".getBytes(StandardCharsets.US_ASCII));
    assertThat(key(keys, "what do ya want for nothing?"))
        .isEqualTo("s:{5bdcc146bf60754e6a042426089575c7}");
  }

  @Test
  void furtherKeysOfASession_shareItsTag_andSlot() {
    SessionKeys keys = new SessionKeys("persona:", null);
    String tag = keys.tag("abc");
    byte[] extra = keys.of("abc", ":x");

    assertThat(tag).isEqualTo("{ba7816bf8f01cfea414140de5dae2223}");
    assertThat(new String(extra, StandardCharsets.UTF_8))
        .isEqualTo("persona:s:{ba7816bf8f01cfea414140de5dae2223}:x");
    assertThat(SlotHash.getSlot(extra))
        .isEqualTo(SlotHash.getSlot(keys.of("abc")))
        .isEqualTo(SlotHash.getSlot(tag.substring(1, tag.length() - 1)));
    // Different sessions: different tags, and (for these two) different slots.
    assertThat(SlotHash.getSlot(keys.of("abd"))).isNotEqualTo(SlotHash.getSlot(keys.of("abc")));
  }

  @Test
  void aWriteBackHoldAndAnErasureMark_nameTheirSession_andNoOtherKeyDoes() {
    byte[] session = new SessionKeys("persona:", null).of("abc");
    String name = new String(session, StandardCharsets.US_ASCII);
    String hold = new String(SessionKeys.writeBackHold(session), StandardCharsets.US_ASCII);
    String mark = new String(SessionKeys.erasureMark(session), StandardCharsets.US_ASCII);

    assertThat(SessionKeys.heldSession(hold)).isEqualTo(name);
    assertThat(SessionKeys.markedSession(mark)).isEqualTo(name);
    assertThat(SessionKeys.heldSession(name)).isNull();
    assertThat(SessionKeys.heldSession(mark)).isNull();
    assertThat(SessionKeys.markedSession(hold)).isNull();
    assertThat(SessionKeys.heldSession("persona:u:w")).isNull();
  }

  @Test
  void braces_inThePrefixOrASuffix_areRefused() {
    // "a{}" would make Redis hash the whole key, and "{x}" every session into one slot.
    assertThatThrownBy(() -> new SessionKeys("a{}", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionKeys("{shop}:", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionKeys("p:", null).of("abc", ":{x}"))
        .isInstanceOf(IllegalArgumentException.class);
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

  @Test
  void aUsersErasureMark_isReportedWithTheSessions_inTheUsersSlot_andNamesItsUser() {
    SessionKeys keys = new SessionKeys("persona:", null);
    byte[] user = keys.user("u9");
    String mark = new String(keys.userErasureMark(user), StandardCharsets.US_ASCII);

    assertThat(mark).startsWith(keys.sessionPrefix()).endsWith(":e");
    assertThat(SlotHash.getSlot(keys.userErasureMark(user))).isEqualTo(SlotHash.getSlot(user));
    assertThat(keys.erasedUser(mark)).isEqualTo(user);
    assertThat(keys.erasedUser(new String(keys.of("u9"), StandardCharsets.US_ASCII))).isNull();
    assertThat(
            keys.erasedUser(
                new String(SessionKeys.erasureMark(keys.of("u9")), StandardCharsets.US_ASCII)))
        .isNull();
    assertThat(keys.erasedUser(new String(user, StandardCharsets.US_ASCII) + ":e")).isNull();
  }
}
