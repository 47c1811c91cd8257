/**
 * Internal: the store's vocabulary compiled for matching, which tells the events that count as a
 * sale view, a gift view or a price sort. Not API; may change without notice.
 */
@NullMarked
package dev.persona.internal.vocabulary;

import org.jspecify.annotations.NullMarked;
