package dev.persona.internal.rules;

/** A compiled lifecycle or stage assignment. */
// Never compared or hashed: a record for its brevity; the array is its own and never handed out.
@SuppressWarnings("ArrayRecordComponent")
record CompiledAssignment(
    String value, int priority, Predicate when, String text, int[] keySlots) {}
