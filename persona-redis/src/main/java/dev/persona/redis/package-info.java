/**
 * Persona on Redis, an optional module: {@link dev.persona.redis.RedisSessionStore} keeps sessions
 * and {@link dev.persona.redis.RedisStatsStore} outcome statistics in Redis, shared by every
 * instance of a storefront, each behind the never-fail contract of the engine: a Redis that is slow
 * or down costs a flagged decision, never an exception or an unbounded wait.
 *
 * <p>The Redis client is Lettuce; no Lettuce type is part of this API.
 */
@NullMarked
package dev.persona.redis;

import org.jspecify.annotations.NullMarked;
