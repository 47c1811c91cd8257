package dev.persona.internal.context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds many lower-case ASCII tokens in one left-to-right pass, without regular expressions.
 *
 * <p>Each token carries a bit mask of features; {@link #scan} returns the union of the masks of the
 * tokens found. Tokens are bucketed by their first two characters, so a scan costs one array lookup
 * per character plus a comparison per candidate token: linear in the text, whatever it is.
 */
final class UserAgentTokens {

  private static final int ASCII = 128;

  /** Per bucket, its tokens' characters from the third on (the first two are the bucket's). */
  private final char[][][] tokens = new char[ASCII * ASCII][][];

  private final long[][] masks = new long[ASCII * ASCII][];

  private UserAgentTokens(Map<String, Long> byToken) {
    for (Map.Entry<String, Long> entry : byToken.entrySet()) {
      String token = entry.getKey();
      int bucket = token.charAt(0) * ASCII + token.charAt(1);
      char[][] oldTokens = tokens[bucket];
      int n = oldTokens == null ? 0 : oldTokens.length;
      char[][] newTokens = new char[n + 1][];
      long[] newMasks = new long[n + 1];
      if (oldTokens != null) {
        System.arraycopy(oldTokens, 0, newTokens, 0, n);
        System.arraycopy(masks[bucket], 0, newMasks, 0, n);
      }
      newTokens[n] = token.substring(2).toCharArray();
      newMasks[n] = entry.getValue();
      tokens[bucket] = newTokens;
      masks[bucket] = newMasks;
    }
  }

  /**
   * Returns the union of the masks of the tokens found in {@code lower[from, to)}.
   *
   * @param lower text whose ASCII letters are lower case
   */
  long scan(String lower, int from, int to) {
    if (to - from < 2) {
      return 0;
    }
    char[] text = new char[to - from]; // one copy, then plain array reads: no String checks
    lower.getChars(from, to, text, 0);
    long found = 0;
    int n = text.length;
    for (int i = 0; i < n - 1; i++) {
      char c0 = text[i];
      char c1 = text[i + 1];
      if (c0 >= ASCII || c1 >= ASCII) {
        continue;
      }
      char[][] candidates = tokens[c0 * ASCII + c1];
      if (candidates == null) {
        continue;
      }
      for (int k = 0; k < candidates.length; k++) {
        char[] rest = candidates[k];
        int at = i + 2;
        if (at + rest.length <= n && matches(text, at, rest)) {
          found |= masks[c0 * ASCII + c1][k];
        }
      }
    }
    return found;
  }

  private static boolean matches(char[] text, int at, char[] rest) {
    for (int j = 0; j < rest.length; j++) {
      if (text[at + j] != rest[j]) {
        return false;
      }
    }
    return true;
  }

  /** Collects tokens and their features before building the matcher. */
  static final class Builder {
    private final Map<String, Long> byToken = new LinkedHashMap<>();

    /**
     * Adds tokens that each set {@code mask} when found.
     *
     * @param mask feature bits
     * @param lowerCaseTokens lower-case ASCII, at least two characters each
     */
    Builder add(long mask, String... lowerCaseTokens) {
      for (String token : lowerCaseTokens) {
        if (token.length() < 2) {
          throw new IllegalArgumentException("token too short: " + token);
        }
        for (int i = 0; i < token.length(); i++) {
          char c = token.charAt(i);
          if (c >= ASCII || (c >= 'A' && c <= 'Z')) {
            throw new IllegalArgumentException("token not lower-case ASCII: " + token);
          }
        }
        byToken.merge(token, mask, (a, b) -> a | b);
      }
      return this;
    }

    UserAgentTokens build() {
      return new UserAgentTokens(byToken);
    }
  }
}
