package dev.persona.internal.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
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

  /**
   * The defaults' assignments as they were before Optimizely-compatible bucketing was added: they
   * must never move, or every running experiment would reshuffle its visitors.
   */
  @Test
  void defaultBucketing_keepsItsAssignments() {
    int[] pinned = {
      1513, 1913, 408, 6810, 3732, 4100, 7515, 1174, 2339, 5281, 5359, 5560, 3674, 158, 6720, 5243
    };
    for (int i = 0; i < pinned.length; i++) {
      assertThat(Buckets.bucket("banner-pin", "s-" + i)).isEqualTo(pinned[i]);
    }
    assertThat(Buckets.bucket("banner-pin", "caf\u00e9")).isEqualTo(4364);
    assertThat(Buckets.bucket("banner-pin", "a\ud800")).isEqualTo(1819);
  }

  /**
   * Optimizely's five published bucketing vectors: {@code BucketerTest.bucketNumberGeneration} in
   * its Java SDK (github.com/optimizely/java-sdk, core-api/src/test/java/com/optimizely/ab/
   * bucketing/BucketerTest.java, read at commit 7828df12), which hashes {@code bucketingId +
   * experimentId} with seed 1 and expects these buckets.
   */
  @Test
  void optimizely_reproducesThePublishedVectors() {
    String experimentId = "1886780721";

    assertThat(Buckets.optimizely("ppid1", experimentId)).isEqualTo(5254);
    assertThat(Buckets.optimizely("ppid2", experimentId)).isEqualTo(4299);
    assertThat(Buckets.optimizely("ppid2", "1886780722")).isEqualTo(2434);
    assertThat(Buckets.optimizely("ppid3", experimentId)).isEqualTo(5439);
    assertThat(
            Buckets.optimizely(
                "a very very very very very very very very very very very very very very very long"
                    + " ppd string",
                experimentId))
        .isEqualTo(6128);
  }

  /**
   * Non-ASCII ids and ids that are not well-formed UTF-16, hashed as the Optimizely Java SDK's
   * {@code MurmurHash3.murmurhash3_x86_32(CharSequence, 0, length, 1)} hashes them (values computed
   * by running that class, at the commit named above, on {@code bucketingId + experimentId}): a
   * lone surrogate takes the next char as its pair, across the join of the two ids too, and one at
   * the end is three bytes.
   */
  @Test
  void optimizely_hashesNonAsciiAndMalformedIdsAsTheSdk() {
    String e = "1886780721";

    assertThat(Buckets.murmur3x86x32("caf\u00e9", e, 1)).isEqualTo(1038486931);
    assertThat(Buckets.murmur3x86x32("\ud83d\ude00x", e, 1)).isEqualTo(-358565897);
    assertThat(Buckets.murmur3x86x32("a\ud800", e, 1)).isEqualTo(565684635);
    assertThat(Buckets.murmur3x86x32("a\udc00b", e, 1)).isEqualTo(1572679553);
    assertThat(Buckets.murmur3x86x32("\ud800b", e, 1)).isEqualTo(-694852187);
    assertThat(Buckets.murmur3x86x32("a\ud800", "", 1)).isEqualTo(1423511675);
    assertThat(Buckets.murmur3x86x32("\ud83d", "", 1)).isEqualTo(1041307646);
    assertThat(Buckets.optimizely("caf\u00e9", e)).isEqualTo(2417);
  }

  @Test
  void optimizely_isMurmur3OfTheUtf8_forWellFormedIds() {
    Random random = new Random(17);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder a = new StringBuilder();
      StringBuilder b = new StringBuilder();
      for (StringBuilder sb : new StringBuilder[] {a, b}) {
        int n = random.nextInt(12);
        for (int j = 0; j < n; j++) {
          int max =
              new int[] {0x80, 0x800, 0x10000, Character.MAX_CODE_POINT + 1}[random.nextInt(4)];
          int cp = random.nextInt(max);
          if (cp < 0x10000 && Character.isSurrogate((char) cp)) {
            cp = 'x';
          }
          sb.appendCodePoint(cp);
        }
      }
      String joined = a.toString() + b;
      assertThat(Buckets.murmur3x86x32(a.toString(), b.toString(), 1))
          .as("hash of %s", i)
          .isEqualTo(hash(joined, 1));
    }
  }

  /** Optimizely computes {@code floor(10000 * (unsigned / 2^32))} in double: the same numbers. */
  @Test
  void optimizely_bucketOfAHash_isTheSdksDoubleArithmetic() {
    Random random = new Random(3);
    int[] edges = {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 429_496, 429_497};
    for (int i = 0; i < 200_000 + edges.length; i++) {
      int h = i < edges.length ? edges[i] : random.nextInt();
      double ratio = (double) (h & 0xFFFFFFFFL) / Math.pow(2, 32);
      int sdk = (int) Math.floor(10_000 * ratio);
      assertThat(Buckets.of(h)).isEqualTo(sdk);
    }
  }

  private static int hash(String s, int seed) {
    return Buckets.murmur3x86x32(s.getBytes(StandardCharsets.UTF_8), seed);
  }
}
