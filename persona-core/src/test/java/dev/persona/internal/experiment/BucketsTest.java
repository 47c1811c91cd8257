package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class BucketsTest {

  @Test
  void murmur3_matchesTheReferenceImplementation() {
    assertThat(hash("", 0)).isEqualTo(0);
    assertThat(hash("", 1)).isEqualTo(0x514E28B7);
    assertThat(hash("", 0xffffffff)).isEqualTo(0x81F16F39);
    assertThat(hash("\u0000\u0000\u0000\u0000", 0)).isEqualTo(0x2362F9DE);
    assertThat(hash("aaaa", 0x9747b28c)).isEqualTo(0x5A97808A);
    assertThat(hash("aaa", 0x9747b28c)).isEqualTo(0x283E0130);
    assertThat(hash("aa", 0x9747b28c)).isEqualTo(0x5D211726);
    assertThat(hash("a", 0x9747b28c)).isEqualTo(0x7FA09EA6);
    assertThat(hash("Hello, world!", 0x9747b28c)).isEqualTo(0x24884CBA);
    assertThat(hash("The quick brown fox jumps over the lazy dog", 0x9747b28c))
        .isEqualTo(0x2FA826CD);
  }

  @Test
  void bucket_isTheDocumentedFunction_andStaysInRange() {
    int h = hash("hero-test:user-42", 0);
    long expected = ((h & 0xFFFF_FFFFL) * 10_000) >>> 32;

    assertThat(Buckets.bucket("hero-test", "user-42")).isEqualTo((int) expected);
    for (int i = 0; i < 10_000; i++) {
      assertThat(Buckets.bucket("x", "v" + i)).isBetween(0, 9_999);
    }
  }

  private static int hash(String s, int seed) {
    return Buckets.murmur3x86x32(s.getBytes(StandardCharsets.UTF_8), seed);
  }
}
