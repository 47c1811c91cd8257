/**
 * Not API: the Redis connection, keys, scripts and near cache behind {@link
 * dev.persona.redis.RedisSessionStore} and {@link dev.persona.redis.RedisStatsStore}. May change in
 * any release; the module does not export it.
 */
@NullMarked
package dev.persona.redis.internal;

import org.jspecify.annotations.NullMarked;
