/**
 * Internal: the signals of one request, from the visit, the extractors and the session, as bare
 * values for the rules and as {@link dev.persona.Signal}s for the decision. Not API; may change
 * without notice.
 */
@NullMarked
package dev.persona.internal.signals;

import org.jspecify.annotations.NullMarked;
