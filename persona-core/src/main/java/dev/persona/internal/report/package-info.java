/**
 * Internal: how the engine reports what went wrong, to the decision (flags and reasons of one
 * request) and to the log (throttled, without request data). Not API; may change without notice.
 */
@NullMarked
package dev.persona.internal.report;

import org.jspecify.annotations.NullMarked;
