/**
 * Persona on Redis: a {@link dev.persona.spi.SessionStore} and a {@link dev.persona.spi.StatsStore}
 * shared by every instance of a storefront. Start with {@link dev.persona.redis.RedisSessionStore}.
 */
@SuppressWarnings("requires-automatic")
module dev.persona.redis {
  requires transitive dev.persona.core;
  requires com.github.benmanes.caffeine;
  requires lettuce.core;
  requires org.slf4j;

  exports dev.persona.redis;
}
