/**
 * Fixtures the tests of every module share: {@link dev.persona.testing.MutableClock}, {@link
 * dev.persona.testing.CapturedLog}, {@link dev.persona.testing.FuzzSettings}, {@link
 * dev.persona.testing.Snippets} and {@link dev.persona.testing.RedisServer}. For Persona's own
 * tests and benchmarks; not a library for users.
 */
@NullMarked
package dev.persona.testing;

import org.jspecify.annotations.NullMarked;
