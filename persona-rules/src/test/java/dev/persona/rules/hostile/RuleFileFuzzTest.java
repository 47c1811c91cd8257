package dev.persona.rules.hostile;

import dev.persona.rules.hostile.HostileInputs.Outcome;
import dev.persona.testing.FuzzSettings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Fuzzes the rule-file parser and compiler: random bytes, JSON-ish token soup, and mutations of the
 * built-in default rule set (byte flips, truncations, duplicated and deleted spans, deep nesting,
 * huge strings and numbers, swapped types and values). Every input must end in a rule set (which
 * then compiles into an engine and decides a visit) or a {@code RuleSetException} whose every
 * problem has a line, a column and a message: never another exception, a {@link
 * StackOverflowError}, an {@link OutOfMemoryError} or a hang ({@link HostileInputs#HANG_GUARD}).
 *
 * <p>Each test runs a fixed number of tries; try {@code i} draws its input from {@code new
 * Random(seed + i)}, so a failure names its seed and try index and is reproduced by running again
 * with that seed and at least {@code i + 1} tries. There is no shrinking: the failure message shows
 * a preview of the input, and a failing file input is saved under {@code
 * persona-rules/target/hostile-crashes/} for the crash corpus.
 *
 * <p>CI runs a fixed seed and a few hundred tries per test. To run it longer on demand, with a
 * fresh seed each time ({@link FuzzSettings}: {@code -Dpersona.fuzz.tries=N} overrides every test's
 * tries, {@code -Dpersona.fuzz.seed=S} its seed, a number or {@code random} for {@link
 * System#nanoTime()}):
 *
 * <pre>
 * mvn -B -ntp -pl persona-rules -am test -Dtest=RuleFileFuzzTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dpersona.fuzz.tries=100000 -Dpersona.fuzz.seed=random
 * </pre>
 */
final class RuleFileFuzzTest {
  /** The base seed CI runs with; see {@link FuzzSettings#seed(long)}. */
  private static final long SEED = 20261123L;

  private static final int RANDOM_BYTES_TRIES = 300;
  private static final int TOKEN_SOUP_TRIES = 300;
  private static final int MUTATION_TRIES = 500;

  private static final byte[] DEFAULT_RULES = HostileInputs.defaultRules();

  /** The bytes of the third kind of random input: JSON openers, NUL and a UTF-8 lead byte. */
  private static final byte[] NASTY_BYTES = {'{', '[', '"', 0, (byte) 0xC3, (byte) 0x80};

  /** Starts that make Jackson guess another encoding, or that are otherwise unusual. */
  private static final List<byte[]> PREFIXES =
      List.of(
          new byte[0],
          new byte[0],
          new byte[0],
          new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
          new byte[] {(byte) 0xFE, (byte) 0xFF},
          new byte[] {(byte) 0xFF, (byte) 0xFE},
          new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF},
          new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0},
          new byte[] {0, 0, 0},
          new byte[] {0},
          new byte[] {'{'},
          "{\"version\": \"v\", \"rules\": [".getBytes(StandardCharsets.UTF_8));

  private static final List<String> TOKENS =
      List.of(
          "{",
          "}",
          "[",
          "]",
          ",",
          ":",
          " ",
          "\n",
          "\"",
          "\\",
          "\"version\"",
          "\"v1\"",
          "\"signals\"",
          "\"personas\"",
          "\"rules\"",
          "\"lifecycle\"",
          "\"stages\"",
          "\"placements\"",
          "\"variants\"",
          "\"id\"",
          "\"name\"",
          "\"threshold\"",
          "\"add\"",
          "\"when\"",
          "\"per\"",
          "\"cap\"",
          "\"not\"",
          "\"all\"",
          "\"any\"",
          "\"signal\"",
          "\"in\"",
          "\"eq\"",
          "\"ne\"",
          "\"gt\"",
          "\"gte\"",
          "\"between\"",
          "\"exists\"",
          "\"prefix\"",
          "\"contains\"",
          "\"ignore_case\"",
          "\"targets\"",
          "\"default\"",
          "\"content\"",
          "\"weight\"",
          "\"segment\"",
          "\"priority\"",
          "\"stage\"",
          "\"key\"",
          "\"kind\"",
          "\"type\"",
          "\"device\"",
          "\"orders\"",
          "\"interests\"",
          "\"p\"",
          "\"r\"",
          "\"value_hunter\"",
          "\"\"",
          "\"\\u0000\"",
          "\"\\ud800\"",
          "\"\\uDC00x\"",
          "\"\\x\"",
          "\"\u00e9\u4e2d\ud83d\ude00\"",
          "0",
          "-0",
          "1",
          "0.5",
          "-1",
          "1e308",
          "1e999",
          "-1e999",
          "2147483648",
          "1.0e-400",
          "NaN",
          "Infinity",
          "true",
          "false",
          "null",
          "tru",
          "//",
          "/*",
          "*/",
          "#",
          "'x'",
          "\u0000",
          "\u001f",
          "\t",
          "\r",
          "\ufeff");

  private static final List<String> VALUES =
      List.of(
          "null",
          "true",
          "false",
          "0",
          "-1",
          "0.5",
          "1e308",
          "1e-320",
          "2147483648",
          "99999999999999999999999999999999",
          "\"\"",
          "\"x\"",
          "\"value_hunter\"",
          "\"device\"",
          "[]",
          "{}",
          "[[]]",
          "{\"not\": {}}",
          "[{}]",
          "[\"a\", 1, true, null]",
          "{\"signal\": \"device\", \"eq\": \"mobile\"}",
          "{\"all\": []}",
          "{\"any\": []}",
          "\"\\ud800\"",
          "\"\\u0000\"",
          "{\"id\": \"x\"}",
          "[null]");

  /** A kind of mutation of the default rule set. */
  enum Kind {
    FLIP_BIT,
    SET_BYTE,
    TRUNCATE,
    DELETE_SPAN,
    DUPLICATE_SPAN,
    DEEP_NESTING,
    HUGE_VALUE,
    SWAP_TYPE,
    COPY_STRING
  }

  /** One mutation; its numbers are taken modulo what they index when applied. */
  record Mutation(Kind kind, int a, int b, int c) {}

  /** The default rule set after {@code mutations}, in order; {@code bytes} is the result. */
  // Never compared or hashed: it only carries one try's input to its check and its description.
  @SuppressWarnings("ArrayRecordComponent")
  record Mutated(List<Mutation> mutations, byte[] bytes) {}

  @Test
  void randomBytes_loadOrAreRefusedWithPositions(TestInfo test) {
    fuzz(
        test,
        RANDOM_BYTES_TRIES,
        random -> concat(prefix(random), bytes(random)),
        RuleFileFuzzTest::preview,
        (bytes, outcomes) -> outcomes.add(HostileInputs.readBytes(bytes)));
  }

  @Test
  void tokenSoup_loadsOrIsRefusedWithPositions(TestInfo test) {
    fuzz(
        test,
        TOKEN_SOUP_TRIES,
        RuleFileFuzzTest::soup,
        RuleFileFuzzTest::preview,
        (json, outcomes) -> {
          outcomes.add(HostileInputs.readString(json));
          outcomes.add(HostileInputs.readBytes(json.getBytes(StandardCharsets.UTF_8)));
        });
  }

  @Test
  void mutatedDefaultRules_loadOrAreRefusedWithPositions(TestInfo test) {
    fuzz(
        test,
        MUTATION_TRIES,
        RuleFileFuzzTest::mutated,
        m -> m.mutations() + " giving " + preview(m.bytes()),
        (m, outcomes) -> outcomes.add(HostileInputs.readBytes(m.bytes())));
  }

  /** Counts the outcomes of one test's tries, for the summary it prints. */
  static final class Tally {
    private final Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);

    void add(Outcome outcome) {
      counts.merge(outcome, 1, Integer::sum);
    }

    @Override
    public String toString() {
      return counts.toString();
    }
  }

  /**
   * Runs {@code check} on the input that {@code generate} draws from {@code new Random(seed + i)},
   * for every try {@code i}; a failure is rethrown naming the seed, the try and a preview of the
   * input.
   */
  private static <T> void fuzz(
      TestInfo test,
      int defaultTries,
      Function<Random, T> generate,
      Function<T, String> describe,
      BiConsumer<T, Tally> check) {
    int tries = FuzzSettings.tries(defaultTries);
    long seed = FuzzSettings.seed(SEED);
    String name =
        "RuleFileFuzzTest."
            + test.getTestMethod().map(m -> m.getName()).orElse(test.getDisplayName());
    Tally outcomes = new Tally();
    for (int i = 0; i < tries; i++) {
      T input;
      try {
        input = generate.apply(new Random(seed + i));
      } catch (RuntimeException | Error e) {
        throw new AssertionError(
            where(name, seed, i, tries) + ": generating the input threw " + e, e);
      }
      try {
        check.accept(input, outcomes);
      } catch (RuntimeException | Error e) {
        throw new AssertionError(
            where(name, seed, i, tries)
                + "; input: "
                + describe.apply(input)
                + "; "
                + e.getMessage(),
            e);
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d tries from seed %d: %s%n", name, tries, seed, outcomes);
  }

  private static String where(String name, long seed, int i, int tries) {
    return String.format(
        Locale.ROOT,
        "%s failed on try %d of %d (seed %d, so new Random(%d)); rerun with -D%s=%d -D%s=%d",
        name,
        i,
        tries,
        seed,
        seed + i,
        FuzzSettings.SEED_PROPERTY,
        seed,
        FuzzSettings.TRIES_PROPERTY,
        i + 1);
  }

  // Generators: plain functions of a Random. Sizes and numbers are drawn uniformly,
  // with the bounds themselves (the usual edge cases) drawn more often.

  /** One of {@link #PREFIXES}, each equally likely (the empty one is listed three times). */
  static byte[] prefix(Random random) {
    return PREFIXES.get(random.nextInt(PREFIXES.size())).clone();
  }

  /**
   * One of three kinds of random bytes, equally likely: any bytes (up to 2048), printable ASCII (up
   * to 512), or {@link #NASTY_BYTES} (up to 4096).
   */
  static byte[] bytes(Random random) {
    switch (random.nextInt(3)) {
      case 0:
        {
          byte[] b = new byte[size(random, 0, 2048)];
          random.nextBytes(b);
          return b;
        }
      case 1:
        {
          byte[] b = new byte[size(random, 0, 512)];
          for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0x20 + random.nextInt(0x7e - 0x20 + 1));
          }
          return b;
        }
      default:
        {
          byte[] b = new byte[size(random, 0, 4096)];
          for (int i = 0; i < b.length; i++) {
            b[i] = NASTY_BYTES[random.nextInt(NASTY_BYTES.length)];
          }
          return b;
        }
    }
  }

  /** Up to 400 of {@link #TOKENS}, joined. */
  static String soup(Random random) {
    int n = size(random, 0, 400);
    StringBuilder json = new StringBuilder();
    for (int i = 0; i < n; i++) {
      json.append(TOKENS.get(random.nextInt(TOKENS.size())));
    }
    return json.toString();
  }

  /** One to four random mutations, applied in order to the default rule set. */
  static Mutated mutated(Random random) {
    int n = size(random, 1, 4);
    List<Mutation> mutations = new ArrayList<>(n);
    Kind[] kinds = Kind.values();
    for (int i = 0; i < n; i++) {
      mutations.add(
          new Mutation(
              kinds[random.nextInt(kinds.length)],
              nonNegative(random),
              nonNegative(random),
              nonNegative(random)));
    }
    byte[] bytes = DEFAULT_RULES.clone();
    for (Mutation m : mutations) {
      bytes = apply(bytes, m);
    }
    return new Mutated(List.copyOf(mutations), bytes);
  }

  /** A size between {@code min} and {@code max} inclusive, either bound one time in ten each. */
  private static int size(Random random, int min, int max) {
    int roll = random.nextInt(20);
    if (roll == 0) {
      return min;
    }
    if (roll == 1) {
      return max;
    }
    return min + random.nextInt(max - min + 1);
  }

  /** An int between 0 and {@link Integer#MAX_VALUE} inclusive, sometimes an edge or small one. */
  private static int nonNegative(Random random) {
    switch (random.nextInt(16)) {
      case 0:
        return 0;
      case 1:
        return 1;
      case 2:
        return Integer.MAX_VALUE;
      case 3:
      case 4:
        return random.nextInt(1000);
      default:
        return random.nextInt() & Integer.MAX_VALUE;
    }
  }

  /** The length, the first 32 bytes in hex and the first 80 as text ({@code .} if unprintable). */
  static String preview(byte[] bytes) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < Math.min(32, bytes.length); i++) {
      hex.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(80, bytes.length); i++) {
      int b = bytes[i] & 0xff;
      text.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
    }
    return String.format(
        Locale.ROOT,
        "%d bytes, hex %s%s, text \"%s\"%s",
        bytes.length,
        hex,
        bytes.length > 32 ? "..." : "",
        text,
        bytes.length > 80 ? "..." : "");
  }

  /** The length and the first 80 chars, escaping what is not printable ASCII. */
  static String preview(String json) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < Math.min(80, json.length()); i++) {
      char c = json.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        text.append(c);
      } else {
        text.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return String.format(
        Locale.ROOT, "%d chars, \"%s\"%s", json.length(), text, json.length() > 80 ? "..." : "");
  }

  static byte[] apply(byte[] s, Mutation m) {
    int len = s.length;
    int at = len == 0 ? 0 : m.a() % len;
    switch (m.kind()) {
      case FLIP_BIT:
        if (len > 0) {
          s[at] ^= (byte) (1 << (m.b() % 8));
        }
        return s;
      case SET_BYTE:
        if (len > 0) {
          s[at] = (byte) m.b();
        }
        return s;
      case TRUNCATE:
        return slice(s, 0, m.a() % (len + 1));
      case DELETE_SPAN:
        return splice(s, at, Math.min(len, at + 1 + m.b() % 200), new byte[0]);
      case DUPLICATE_SPAN:
        {
          byte[] span = slice(s, at, Math.min(len, at + 1 + m.b() % 500));
          int to = m.c() % (len + 1);
          return splice(s, to, to, span);
        }
      case DEEP_NESTING:
        return replaceValue(s, at, nested(m.b(), m.c()));
      case HUGE_VALUE:
        return hugeValue(s, at, m.b(), m.c());
      case SWAP_TYPE:
        return replaceValue(s, at, VALUES.get(m.b() % VALUES.size()));
      case COPY_STRING:
        {
          int from = stringAt(s, at);
          int to = stringAt(s, m.c() % Math.max(1, len));
          if (from < 0 || to < 0) {
            return s;
          }
          return splice(s, to, valueEnd(s, to), slice(s, from, valueEnd(s, from)));
        }
      default:
        throw new AssertionError(m.kind());
    }
  }

  /** A value nested {@code depth} deep, around the parser's nesting limit of 64 or far beyond. */
  private static String nested(int b, int c) {
    int depth = b % 3 == 0 ? 60 + b % 10 : 1 + b % 3000;
    String[][] shapes = {
      {"[", "]"}, {"{\"not\": ", "}"}, {"{\"all\": [", "]}"}, {"{\"a\": ", "}"}, {"[{\"x\": ", "}]"}
    };
    String[] shape = shapes[c % shapes.length];
    String inner = c % 2 == 0 ? "{\"signal\": \"device\", \"eq\": \"mobile\"}" : "1";
    return shape[0].repeat(depth) + inner + shape[1].repeat(depth);
  }

  private static byte[] hugeValue(byte[] s, int at, int b, int c) {
    int n = b % 200_000;
    switch (c % 4) {
      case 0:
        return replaceValue(s, at, "\"" + "x".repeat(n) + "\"");
      case 1:
        return replaceValue(s, at, "9".repeat(1 + n % 20_000));
      case 2:
        return replaceValue(s, at, "0." + "1".repeat(1 + n % 20_000) + "e-99999");
      default:
        {
          int brace = indexOf(s, (byte) '{', at);
          if (brace < 0) {
            return s;
          }
          byte[] key = ("\"" + "k".repeat(n % 5_000) + "\": 1, ").getBytes(StandardCharsets.UTF_8);
          return splice(s, brace + 1, brace + 1, key);
        }
    }
  }

  /** Replaces the value after the first ':' at or after {@code from}. */
  private static byte[] replaceValue(byte[] s, int from, String value) {
    int colon = indexOf(s, (byte) ':', from);
    if (colon < 0) {
      return s;
    }
    int start = colon + 1;
    while (start < s.length && (s[start] == ' ' || s[start] == '\n' || s[start] == '\r')) {
      start++;
    }
    return splice(s, start, valueEnd(s, start), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Where the JSON value starting at {@code start} ends (exclusive), leniently. */
  private static int valueEnd(byte[] s, int start) {
    if (start >= s.length) {
      return s.length;
    }
    byte first = s[start];
    if (first == '"') {
      for (int i = start + 1; i < s.length; i++) {
        if (s[i] == '\\') {
          i++;
        } else if (s[i] == '"') {
          return i + 1;
        }
      }
      return s.length;
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      boolean inString = false;
      for (int i = start; i < s.length; i++) {
        byte x = s[i];
        if (inString) {
          if (x == '\\') {
            i++;
          } else if (x == '"') {
            inString = false;
          }
        } else if (x == '"') {
          inString = true;
        } else if (x == '{' || x == '[') {
          depth++;
        } else if ((x == '}' || x == ']') && --depth == 0) {
          return i + 1;
        }
      }
      return s.length;
    }
    int i = start;
    while (i < s.length && ",}] \n\r\t".indexOf(s[i]) < 0) {
      i++;
    }
    return Math.max(i, start);
  }

  private static int stringAt(byte[] s, int from) {
    return indexOf(s, (byte) '"', from);
  }

  private static int indexOf(byte[] s, byte b, int from) {
    for (int i = Math.max(0, from); i < s.length; i++) {
      if (s[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] slice(byte[] s, int from, int to) {
    return java.util.Arrays.copyOfRange(s, from, Math.max(from, to));
  }

  private static byte[] splice(byte[] s, int from, int to, byte[] insert) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + insert.length);
    out.write(s, 0, from);
    out.write(insert, 0, insert.length);
    out.write(s, to, s.length - to);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    return splice(a, a.length, a.length, b);
  }
}
