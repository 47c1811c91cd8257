package dev.persona.redis.internal;

/**
 * The one script behind every session read and write: a compare-and-set on a version token.
 *
 * <p>A session key is a hash with field {@code t}, a random version token written with every
 * change, and {@code d}, the state's versioned bytes ({@code SessionState.toBytes()}), with a TTL
 * of the idle timeout renewed by every write. The script takes the token the caller last saw
 * ({@code ""} for no key) and, only if the key still holds that token, writes the new token and
 * state (or deletes the key, for empty state) and answers {@code {1}}. Otherwise it changes nothing
 * and answers {@code {0, token, state}} with what the key holds now, so the caller can apply its
 * change to that and try again: one round trip when the caller's copy is current, two when it is
 * not. Random tokens, unlike counters, cannot repeat after a key expires and is made anew.
 *
 * <p>A key of another type, or a hash without a token, answers the token {@code "?"}: unreadable,
 * and replaced by the next write that expects {@code "?"}. A read asks with the token {@code "!"},
 * which no key holds.
 */
final class SessionScript {
  /** The token of no key. */
  static final byte[] NONE = {};

  /** The token of a key that holds something else than a session. */
  static final byte[] UNREADABLE = {'?'};

  /** The token a read asks with: no key holds it. */
  static final byte[] READ = {'!'};

  static final Script CAS =
      Script.of(
          """
          local kind = redis.call('TYPE', KEYS[1])['ok']
          local token = ''
          if kind == 'hash' then
            token = redis.call('HGET', KEYS[1], 't') or '?'
          elseif kind ~= 'none' then
            token = '?'
          end
          if token ~= ARGV[1] then
            local data = false
            if kind == 'hash' then
              data = redis.call('HGET', KEYS[1], 'd')
            end
            return {0, token, data}
          end
          if ARGV[3] == '' then
            redis.call('DEL', KEYS[1])
            return {1}
          end
          if token == '?' then
            redis.call('DEL', KEYS[1])
          end
          redis.call('HSET', KEYS[1], 't', ARGV[2], 'd', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return {1}
          """);

  private SessionScript() {}
}
