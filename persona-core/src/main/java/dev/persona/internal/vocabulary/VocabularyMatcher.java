package dev.persona.internal.vocabulary;

import dev.persona.config.Vocabulary;
import dev.persona.internal.context.RecentValues;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Vocabulary} compiled for matching: per source (path, category, query, sort) one trie of
 * its entries' characters, each entry's last node marked with the uses it stands for. A text is
 * read into words once ({@link Words}) into a caller's buffer, then walked from every word start,
 * every segment start (the entries that start with {@code /}) and, when an entry starts with a CJK
 * character, every CJK character. The uses of the last few hundred texts of each source are kept
 * ({@link RecentValues}): a text seen lately is matched by one comparison, and only a text not seen
 * lately allocates (a buffer for it). Thread-safe.
 */
public final class VocabularyMatcher {
  private static final int SOURCES = Vocabulary.Source.values().length;

  private final Trie[] tries = new Trie[SOURCES];

  /**
   * Per source, the uses of the texts matched lately: paths, categories and sorts repeat request
   * after request, and a hit costs one comparison instead of reading and walking the text.
   */
  @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type
  private final RecentValues<Integer>[] recent = new RecentValues[SOURCES];

  private VocabularyMatcher(Vocabulary vocabulary) {
    for (Vocabulary.Source source : Vocabulary.Source.values()) {
      Trie.Builder b = new Trie.Builder();
      for (Vocabulary.Use use : Vocabulary.Use.values()) {
        for (String entry : vocabulary.words(use, source)) {
          b.add(entry, 1 << use.ordinal());
        }
      }
      Trie trie = b.build();
      boolean path = source == Vocabulary.Source.PATH;
      tries[source.ordinal()] = trie;
      recent[source.ordinal()] =
          new RecentValues<>(text -> walk(trie, path, text, buffer(text.length())));
    }
  }

  /**
   * Compiles a vocabulary.
   *
   * @param vocabulary the vocabulary
   * @return its matcher
   */
  public static VocabularyMatcher of(Vocabulary vocabulary) {
    return new VocabularyMatcher(vocabulary);
  }

  /**
   * Returns a buffer for {@link #match} of texts of up to {@code maxLength} characters; a longer
   * text is matched as far as the buffer reaches.
   *
   * @param maxLength the longest text
   * @return a buffer, one per thread
   */
  public static char[] buffer(int maxLength) {
    return new char[maxLength + 3];
  }

  /**
   * Returns the uses whose entries for {@code source} match {@code text}: bit {@code 1 <<
   * use.ordinal()} for each.
   *
   * @param source where the text comes from
   * @param text the text, or null for none
   * @param buffer a buffer from {@link #buffer}, which this overwrites
   * @return the bits of the uses matched; 0 for none
   */
  public int match(Vocabulary.Source source, @Nullable String text, char[] buffer) {
    Trie trie = tries[source.ordinal()];
    if (text == null || trie.all == 0) {
      return 0;
    }
    if (text.length() <= Math.min(buffer.length - 3, RecentValues.MAX_KEY_LENGTH)) {
      return recent[source.ordinal()].get(text); // the same uses as a walk over the buffer
    }
    return walk(trie, source == Vocabulary.Source.PATH, text, buffer);
  }

  private static int walk(Trie trie, boolean path, String text, char[] buffer) {
    return trie.match(buffer, Words.text(text, path, buffer));
  }

  /** The entries of one source: nodes linked by an open-addressing table of (node, char) keys. */
  private static final class Trie {
    /** Flag bits of a node: uses whose entry ends at a word's end here, shifted 0. */
    private static final int ANYWHERE = 8;

    /** The root's children by ASCII characters, which most walks fail at: -1 for none. */
    private final int[] root = new int[128];

    private final long[] keys;
    private final int[] children;
    private final int shift;
    private final int mask;

    /**
     * Per node, the uses of entries ending here that need a word end after them (bits 0-7), and
     * those that match whatever follows (bits 8-15: a {@code *}, or a CJK last character).
     */
    private final int[] flags;

    /** Whether an entry starts with a CJK character, so walks start at every one too. */
    private final boolean midWord;

    /** Every use of the entries. */
    final int all;

    private Trie(Builder b) {
      int edges = b.edges.size();
      int bits = 1;
      while ((1 << bits) < 2 * edges) {
        bits++;
      }
      keys = new long[1 << bits];
      children = new int[1 << bits];
      shift = 64 - bits;
      mask = (1 << bits) - 1;
      for (Map.Entry<Long, Integer> e : b.edges.entrySet()) {
        long key = e.getKey();
        int h = slot(key);
        while (keys[h] != 0) {
          h = (h + 1) & mask;
        }
        keys[h] = key;
        children[h] = e.getValue();
      }
      for (char c = 0; c < root.length; c++) {
        Integer child = b.edges.get(key(0, c));
        root[c] = child == null ? -1 : child;
      }
      flags = b.flags.stream().mapToInt(Integer::intValue).toArray();
      midWord = b.midWord;
      int any = 0;
      for (int f : flags) {
        any |= f | (f >>> ANYWHERE);
      }
      all = any & 0xFF;
    }

    private int slot(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The key of the edge from {@code node} by {@code c}; never 0, the empty slot. */
    private static long key(int node, char c) {
      return (((long) node << 16) | c) + 1;
    }

    private int child(int node, char c) {
      if (node == 0 && c < 128) {
        return root[c];
      }
      long key = key(node, c);
      int h = slot(key);
      while (true) {
        long k = keys[h];
        if (k == key) {
          return children[h];
        }
        if (k == 0) {
          return -1;
        }
        h = (h + 1) & mask;
      }
    }

    int match(char[] t, int n) {
      int found = 0;
      for (int i = 0; i < n; i++) {
        char c = t[i];
        if (c == ' '
            || (c != '/'
                && t[i - 1] != ' '
                && t[i - 1] != '/'
                && !(midWord && Words.unspaced(c)))) {
          continue;
        }
        int node = 0;
        for (int j = i; j < n; j++) {
          node = child(node, t[j]);
          if (node < 0) {
            break;
          }
          int f = flags[node];
          if (f != 0) {
            found |= f >>> ANYWHERE;
            if (j + 1 == n || t[j + 1] == ' ' || t[j + 1] == '/') {
              found |= f & 0xFF;
            }
            if (found == all) {
              return found;
            }
          }
        }
      }
      return found;
    }

    /** Collects entries. Not thread-safe. */
    static final class Builder {
      final Map<Long, Integer> edges = new HashMap<>();
      final List<Integer> flags = new ArrayList<>(List.of(0));
      boolean midWord;

      /** Adds an entry read by {@link Words#entry}, for the uses in {@code bits}. */
      void add(String entry, int bits) {
        boolean prefix = entry.endsWith("*");
        int end = prefix ? entry.length() - 1 : entry.length();
        int node = 0;
        for (int i = 0; i < end; i++) {
          long key = key(node, entry.charAt(i));
          Integer next = edges.get(key);
          if (next == null) {
            next = flags.size();
            flags.add(0);
            edges.put(key, next);
          }
          node = next;
        }
        midWord |= Words.unspaced(entry.charAt(0));
        boolean anywhere = prefix || Words.unspaced(entry.charAt(end - 1));
        flags.set(node, flags.get(node) | (anywhere ? bits << ANYWHERE : bits));
      }

      Trie build() {
        return new Trie(this);
      }
    }
  }
}
