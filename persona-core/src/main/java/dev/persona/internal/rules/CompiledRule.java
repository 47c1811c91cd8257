package dev.persona.internal.rules;

/**
 * A compiled scoring rule: when {@code when} holds, adds {@code weight[i]} (times the scale) to
 * persona {@code persona[i]}.
 */
// Never compared or hashed: a record for its brevity; the arrays are its own and never handed out.
@SuppressWarnings("ArrayRecordComponent")
record CompiledRule(
    String id,
    Predicate when,
    int[] persona,
    double[] weight,
    int scaleSlot,
    String scaleKey,
    double scaleCap,
    String text,
    int[] keySlots) {

  /** Returns the scale this rule fires with, or 0 when it does not fire. */
  double fire(SignalFrame f) {
    if (!when.test(f)) {
      return 0;
    }
    if (scaleSlot < 0) {
      return 1;
    }
    if (!f.present[scaleSlot]) {
      return 0;
    }
    return Math.min(Math.max(f.num[scaleSlot], 0), scaleCap);
  }
}
