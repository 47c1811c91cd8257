package dev.persona.internal.experiment;

import java.nio.charset.StandardCharsets;

/**
 * Stable assignment of visitors to 10,000 buckets: {@code bucket = murmur3_x86_32(utf8(seedId + ":"
 * + visitorId), seed 0)} read as an unsigned 32-bit number, times 10,000, divided by 2^32. The same
 * inputs give the same bucket in every process and version, so arms survive restarts and agree
 * across instances.
 */
public final class Buckets {
  /** How many buckets visitors are spread over. */
  public static final int COUNT = 10_000;

  private Buckets() {}

  /** Returns the bucket, 0 to 9,999, of {@code visitorId} for the experiment {@code seedId}. */
  public static int bucket(String seedId, String visitorId) {
    byte[] bytes = (seedId + ":" + visitorId).getBytes(StandardCharsets.UTF_8);
    long unsigned = murmur3x86x32(bytes, 0) & 0xFFFF_FFFFL;
    return (int) ((unsigned * COUNT) >>> 32);
  }

  /** MurmurHash3 x86 32-bit of {@code data}, as Austin Appleby's reference implementation. */
  @SuppressWarnings("fallthrough")
  static int murmur3x86x32(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int at = i * 4;
      int k =
          (data[at] & 0xff)
              | (data[at + 1] & 0xff) << 8
              | (data[at + 2] & 0xff) << 16
              | (data[at + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
