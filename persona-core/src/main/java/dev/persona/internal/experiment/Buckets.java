package dev.persona.internal.experiment;

import java.nio.charset.StandardCharsets;

/**
 * Stable assignment of visitors to 10,000 buckets: {@code bucket = murmur3_x86_32(utf8(seedId + ":"
 * + visitorId), seed 0)} read as an unsigned 32-bit number, times 10,000, divided by 2^32. The same
 * inputs give the same bucket in every process and version, so arms survive restarts and agree
 * across instances. {@link #optimizely} buckets as Optimizely's SDKs do instead.
 */
public final class Buckets {
  /** How many buckets visitors are spread over. */
  public static final int COUNT = 10_000;

  private Buckets() {}

  /** Returns the bucket, 0 to 9,999, of {@code visitorId} for the experiment {@code seedId}. */
  public static int bucket(String seedId, String visitorId) {
    byte[] bytes = (seedId + ":" + visitorId).getBytes(StandardCharsets.UTF_8);
    return of(murmur3x86x32(bytes, 0));
  }

  /** Returns the bucket of a hash: the hash read as unsigned, times {@link #COUNT}, over 2^32. */
  static int of(int hash) {
    return (int) (((hash & 0xFFFF_FFFFL) * COUNT) >>> 32);
  }

  /**
   * Returns a 64-bit key of a user id that is never 0: two MurmurHash3 x86_32 of it, so that a
   * session's state can tell the user's own sticky arms from the session's without holding the id.
   * Allocates nothing.
   */
  public static long userKey(String userId) {
    long key =
        (long) murmur3x86x32(userId, "", 0x5eed_0001) << 32
            | (murmur3x86x32(userId, "", 0x5eed_0002) & 0xFFFF_FFFFL);
    return key == 0 ? 1 : key;
  }

  /**
   * Returns the bucket, 0 to 9,999, of {@code bucketingId} in the experiment {@code experimentId}
   * as Optimizely's SDKs compute it: {@code murmur3_x86_32(utf8(bucketingId + experimentId), seed
   * 1)} read as an unsigned 32-bit number, times 10,000, divided by 2^32 (the SDKs compute it in
   * {@code double}, exactly, since the product needs at most 46 bits). The UTF-8 is encoded as the
   * Java SDK's {@code MurmurHash3.murmurhash3_x86_32(CharSequence, ...)} encodes it, also for
   * strings that are not well-formed UTF-16 (a surrogate not at the end takes the next char as its
   * pair). Allocates nothing.
   */
  public static int optimizely(String bucketingId, String experimentId) {
    return of(murmur3x86x32(bucketingId, experimentId, 1));
  }

  /**
   * MurmurHash3 x86 32-bit of the UTF-8 of {@code first + second}, encoded while hashing, char by
   * char, as Optimizely's Java SDK does it.
   */
  static int murmur3x86x32(String first, String second, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int split = first.length();
    int end = split + second.length();
    int pos = 0;
    int k1 = 0;
    int shift = 0;
    int bytes = 0;
    while (pos < end) {
      int code = charAt(first, second, split, pos++);
      int k2;
      int bits;
      if (code < 0x80) {
        k2 = code;
        bits = 8;
      } else if (code < 0x800) {
        k2 = (0xC0 | (code >> 6)) | ((0x80 | (code & 0x3F)) << 8);
        bits = 16;
      } else if (code < 0xD800 || code > 0xDFFF || pos >= end) {
        // an unpaired surrogate at the end is encoded as three bytes
        k2 =
            (0xE0 | (code >> 12))
                | ((0x80 | ((code >> 6) & 0x3F)) << 8)
                | ((0x80 | (code & 0x3F)) << 16);
        bits = 24;
      } else {
        // a surrogate: the next char is taken as its pair, whatever it is
        int utf32 = charAt(first, second, split, pos++);
        utf32 = ((code - 0xD7C0) << 10) + (utf32 & 0x3FF);
        k2 =
            (0xff & (0xF0 | (utf32 >> 18)))
                | (0x80 | ((utf32 >> 12) & 0x3F)) << 8
                | (0x80 | ((utf32 >> 6) & 0x3F)) << 16
                | (0x80 | (utf32 & 0x3F)) << 24;
        bits = 32;
      }
      k1 |= k2 << shift;
      shift += bits;
      if (shift >= 32) {
        k1 *= c1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= c2;
        h ^= k1;
        h = Integer.rotateLeft(h, 13);
        h = h * 5 + 0xe6546b64;
        shift -= 32;
        k1 = shift != 0 ? k2 >>> (bits - shift) : 0;
        bytes += 4;
      }
    }
    if (shift > 0) {
      bytes += shift >> 3;
      k1 *= c1;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= c2;
      h ^= k1;
    }
    h ^= bytes;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }

  private static int charAt(String first, String second, int split, int pos) {
    return pos < split ? first.charAt(pos) : second.charAt(pos - split);
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
