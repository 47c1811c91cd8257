package dev.persona.internal.rules;

/** A compiled lifecycle or stage assignment. */
record CompiledAssignment(
    String value, int priority, Predicate when, String text, int[] keySlots) {}
