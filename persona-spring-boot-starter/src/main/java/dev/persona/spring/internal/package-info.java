/**
 * The starter's implementation: the filter, the argument resolver, the engine's assembly, health
 * and meters. Not an API: it changes without notice.
 */
@NullMarked
package dev.persona.spring.internal;

import org.jspecify.annotations.NullMarked;
