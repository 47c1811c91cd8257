/**
 * Internal: the decision log's lines, keyed hashes and rolling file, written by {@link
 * dev.persona.log.DecisionLog}'s thread. Not public API; may change without notice.
 */
@NullMarked
package dev.persona.internal.log;

import org.jspecify.annotations.NullMarked;
