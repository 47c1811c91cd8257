/**
 * Fixtures the tests of every module share: {@link dev.persona.testing.MutableClock}, {@link
 * dev.persona.testing.CapturedLog}, {@link dev.persona.testing.FuzzSettings}, {@link
 * dev.persona.testing.Snippets}, and a real Redis on loopback, one {@link
 * dev.persona.testing.RedisServer} or a {@link dev.persona.testing.RedisCluster} (both a {@link
 * dev.persona.testing.LocalRedis}). For Persona's own tests and benchmarks; not a library for
 * users.
 */
@NullMarked
package dev.persona.testing;

import org.jspecify.annotations.NullMarked;
