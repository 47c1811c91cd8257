/**
 * Internal: the engine wired from its configuration ({@link dev.persona.internal.engine.Engine})
 * and its decision pipeline, with the guards around the session store, the consent policy and the
 * counters. Not API; may change without notice.
 */
@NullMarked
package dev.persona.internal.engine;

import org.jspecify.annotations.NullMarked;
