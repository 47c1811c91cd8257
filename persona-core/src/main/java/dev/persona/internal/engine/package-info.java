/** Internal: implementation of the engine, not API; may change without notice. */
package dev.persona.internal.engine;
