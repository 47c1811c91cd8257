package dev.persona.internal.rules;

import java.util.HashSet;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Random {@link Predicate} trees and frames over eight slots (0-3 NUMBER, 4 FLAG, 5-6 TEXT, 7 SET
 * of 0 to 3 texts), comparisons of two numbers and set sizes included, drawn from values that trip
 * comparisons and case-insensitive text tests up: NaN, -0.0, infinity, the next double after 2, the
 * Turkish dotted and dotless i, the long s; the frames keep slot 5 in lower case too, as a rule set
 * whose tests read it ignoring case would. Not thread-safe.
 */
final class RandomPredicates {
  static final int SLOTS = 8;
  static final double[] NUMBERS = {
    -1, -0.0, 0, 0.5, 1, 2, 2.5, 3, 1e300, Math.nextUp(2), Double.NaN, Double.POSITIVE_INFINITY
  };
  static final String[] TEXTS = {
    "deal",
    "Sale",
    "SUMMER-SALE",
    "ſale",
    "İstanbul",
    "istanbul",
    "mobile",
    "",
    "promo-ugc",
    "ÄPFEL"
  };

  /** Factors of comparisons of two signals: the bounds, 1, and one whose products round. */
  static final double[] FACTORS = {0.01, 0.5, 1, 1.2, 3, 100};

  /** The slots a random frame also keeps in lower case: one TEXT slot of the two. */
  static final boolean[] LOWERED = new boolean[SLOTS + SignalFrame.FIRST_SLOT];

  static {
    LOWERED[5] = true;
  }

  static final String[] NEEDLES = {"sale", "SAL", "deal", "i̇", "ist", "", "äpf", "ugc", "s"};

  final Random random;

  RandomPredicates(Random random) {
    this.random = random;
  }

  /** Returns a filled frame: a new one, or every other time {@code last} cleared and refilled. */
  SignalFrame frame(SignalFrame last) {
    SignalFrame f = last;
    if (f == null || random.nextBoolean()) {
      f = new SignalFrame(SLOTS, LOWERED);
    } else {
      f.clear();
    }
    for (int s = 0; s < 4; s++) {
      if (random.nextInt(4) > 0) {
        f.putNumber(s, pick(NUMBERS));
      }
    }
    if (random.nextBoolean()) {
      f.putFlag(4, random.nextBoolean());
    }
    for (int s = 5; s < 7; s++) {
      if (random.nextInt(4) > 0) {
        f.putValue(s, pick(TEXTS));
      }
    }
    if (random.nextBoolean()) {
      f.putValue(7, set(random));
    }
    return f;
  }

  /** Returns a set of 0 to 3 of {@link #TEXTS}, some lower-cased and marked. */
  static Set<String> set(Random random) {
    Set<String> out = new HashSet<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      String t = TEXTS[random.nextInt(TEXTS.length)];
      out.add(random.nextBoolean() ? t : t.toLowerCase(Locale.ROOT) + "x");
    }
    return Set.copyOf(out);
  }

  /** Returns a predicate of every kind, all, any and not nested up to {@code depth} deep. */
  Predicate predicate(int depth) {
    int kind = random.nextInt(depth > 0 ? 16 : 12);
    switch (kind) {
      case 0:
        return new Predicate.Exists(random.nextInt(SLOTS));
      case 1:
      case 2:
        return new Predicate.Compare(random.nextInt(4), random.nextInt(6), pick(NUMBERS));
      case 3:
        return new Predicate.Compare(4, random.nextInt(2), random.nextInt(2));
      case 4:
        double a = pick(NUMBERS);
        double b = pick(NUMBERS);
        return new Predicate.Between(random.nextInt(4), Math.min(a, b), Math.max(a, b));
      case 5:
        Set<String> texts = new HashSet<>();
        int n = random.nextInt(4) == 0 ? 1 + random.nextInt(TEXTS.length) : 1;
        while (texts.size() < n) {
          texts.add(pick(TEXTS));
        }
        return new Predicate.TextIn(5 + random.nextInt(2), Set.copyOf(texts), random.nextBoolean());
      case 6:
        return new Predicate.Text(
            5 + random.nextInt(2), random.nextBoolean(), pick(NEEDLES), random.nextBoolean());
      case 7:
        return new Predicate.NumberIn(random.nextInt(4), new double[] {pick(NUMBERS), 1});
      case 8:
        return new Predicate.SetHasAny(7, Set.of(pick(TEXTS)), random.nextBoolean());
      case 9:
        return random.nextBoolean() ? Predicate.TRUE : Predicate.FALSE;
      case 10:
        return new Predicate.CompareSignals(
            random.nextInt(4), 2 + random.nextInt(4), random.nextInt(4), pick(FACTORS));
      case 11:
        return new Predicate.SetSize(7, random.nextInt(6), random.nextInt(4));
      case 12:
        return new Predicate.Not(predicate(depth - 1));
      case 13:
        return new Predicate.And(parts(depth - 1));
      default:
        return new Predicate.Or(parts(depth - 1));
    }
  }

  private Predicate[] parts(int depth) {
    Predicate[] out = new Predicate[random.nextInt(4)];
    for (int i = 0; i < out.length; i++) {
      out[i] = predicate(depth);
    }
    return out;
  }

  /** Returns a rule that adds 1 to persona {@code persona} when {@code when} holds. */
  static CompiledRule rule(int persona, Predicate when) {
    return new CompiledRule(
        "r" + persona, when, new int[] {persona}, new double[] {1}, -1, null, 0, "", null);
  }

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  double pick(double[] values) {
    return values[random.nextInt(values.length)];
  }
}
