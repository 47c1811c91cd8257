/**
 * The decision log: {@link dev.persona.log.DecisionLog} writes every decision and the outcomes you
 * give it to a rolling file of JSON lines (format in docs/decision-log.md), with session and user
 * ids replaced by keyed hashes, for offline evaluation of other rule sets ({@code persona
 * evaluate}); {@link dev.persona.log.Redecider} decides a logged decision again with another rule
 * set.
 */
@NullMarked
package dev.persona.log;

import org.jspecify.annotations.NullMarked;
