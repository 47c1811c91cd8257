/**
 * The two-instance load test of shared state (issue 16): {@link
 * dev.persona.redis.load.StorefrontInstance} is one storefront backend embedding Persona on Redis,
 * run in a JVM of its own; {@link dev.persona.redis.load.TwoInstanceLoadTest} starts two of them on
 * one redis-server, drives shoppers whose requests alternate between them, and checks that the
 * shared sessions and statistics hold exactly what was sent and that no erased state is used.
 */
package dev.persona.redis.load;
