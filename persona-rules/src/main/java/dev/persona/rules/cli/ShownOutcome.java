package dev.persona.rules.cli;

import dev.persona.Outcome;

/**
 * An outcome of the decision made for a visit line, as its {@code "outcomes"} field records it:
 * {@code {"type": "exposure" | "click" | "add_to_cart" | "purchase", "placement": ..., "value":
 * ...}}.
 *
 * @param kind what happened
 * @param placement the placement it happened to
 * @param value a purchase's order value, else 0
 */
record ShownOutcome(Outcome.Kind kind, String placement, double value) {}
