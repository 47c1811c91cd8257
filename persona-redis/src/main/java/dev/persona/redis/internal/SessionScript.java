package dev.persona.redis.internal;

/**
 * The scripts behind every session read, write and erasure: a compare-and-set on a version token,
 * and an erasure that leaves a tombstone.
 *
 * <p>A session key is a hash with field {@code t}, a random version token written with every
 * change, {@code d}, the state's versioned bytes ({@code SessionState.toBytes()}), and, once the
 * session was erased, {@code e}: when, in epoch microseconds, on the erasing instance's clock
 * ({@link Stamps}). The key has a TTL of the idle timeout renewed by every write.
 *
 * <p>{@link #CAS} takes the token the caller last saw ({@code ""} for no key) and, only if the key
 * still holds that token, writes the new token and state (an empty state removes {@code d}) and
 * answers {@code {1}}. Otherwise it changes nothing and answers {@code {0, token, state, erased,
 * restored, hold, provisional, replaced}} with what the key holds now ({@code restored}: {@code r}
 * of {@link #RESTORE}; {@code hold}: see there; {@code provisional}: 1 while the state is
 * provisional, below; {@code replaced}: 1 while a copy written back replaced a provisional state,
 * field {@code q} of {@link #RESTORE}), so the caller can apply its change to that and try again:
 * one round trip when the caller's copy is current, two when it is not. Random tokens, unlike
 * counters, cannot repeat after a key expires and is made anew. A write keeps {@code e}: a later
 * state of the same session id is a new session, and a change made before the erasure, written
 * late, is recognised by it and dropped by the caller. A write on no key with {@code ARGV[5]} (ms)
 * marks the state provisional until then, on Redis's clock (field {@code p}; later writes keep it):
 * it was written after Redis lost its data, by an instance that held no copy, and a copy written
 * back ({@link #RESTORE}) within that time replaces it; the writers then write their changes again
 * on the copy. They know to by {@code replaced}, which later writes keep until the provisional
 * state's time is over: {@code r} alone would not do, as the first change written on the copy
 * removes it, maybe before a writer of the provisional state looked.
 *
 * <p>{@link #ERASE} removes the state, writes a new token and sets {@code e} to the given time,
 * whatever the key held: every other instance's next write then finds a token it did not expect,
 * and with it the tombstone. When the key already shows an erasure at that time or later (times are
 * epoch microseconds, which a Lua number holds exactly), it changes nothing and answers {@code
 * {2}}: what the key holds was written since, by writers that dropped every change made before, so
 * an erasure queued while Redis was away, or made twice (a session's own and its user's), does not
 * wipe what came after it. On no key, with {@code ARGV[4]} (ms), the tombstone is provisional like
 * a state {@link #CAS} writes on no key after Redis lost its data (field {@code p}): an erasure
 * written again after the loss, or made soon after it, on a session whose copies are still being
 * written back; a copy made after the erasure then replaces the tombstone and the changes written
 * on it, which their writers write again on the copy. It also sets the session's erasure mark,
 * {@code KEYS[2]} ({@link SessionKeys#erasureMark}), whose report tells the instances that hold
 * changes they wrote recently that an erasure landed: one made earlier, on an instance that could
 * not write it at once, wipes changes made after it, which those instances then write again.
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
          local hold = false
          if KEYS[2] and ARGV[1] ~= '!' and redis.call('EXISTS', KEYS[2]) == 1 then
            hold = 1
          end
          if token ~= ARGV[1] or hold then
            local data = false
            local erased = false
            local restored = false
            local provisional = false
            local replaced = false
            if kind == 'hash' then
              data = redis.call('HGET', KEYS[1], 'd')
              erased = redis.call('HGET', KEYS[1], 'e')
              restored = redis.call('HGET', KEYS[1], 'r')
              local p = redis.call('HGET', KEYS[1], 'p')
              local q = redis.call('HGET', KEYS[1], 'q')
              if p or q then
                local now = redis.call('TIME')
                local ms = now[1] * 1000 + math.floor(now[2] / 1000)
                provisional = p and tonumber(p) > ms and 1 or false
                replaced = q and tonumber(q) > ms and 1 or false
              end
            end
            return {0, token, data, erased, restored, hold, provisional, replaced}
          end
          if token == '?' then
            redis.call('DEL', KEYS[1])
          end
          redis.call('HDEL', KEYS[1], 'r', 'w')
          if ARGV[3] == '' then
            redis.call('HDEL', KEYS[1], 'd')
            redis.call('HSET', KEYS[1], 't', ARGV[2])
          else
            redis.call('HSET', KEYS[1], 't', ARGV[2], 'd', ARGV[3])
          end
          if ARGV[5] and token == '' then
            local now = redis.call('TIME')
            local till = now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[5])
            redis.call('HSET', KEYS[1], 'p', string.format('%.0f', till))
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          return {1}
          """);

  /**
   * {@link #CAS} on many sessions in one script, each as {@code CAS} does it: two keys per session,
   * its key and its write-back hold; {@code ARGV[1]} is the TTL, then three arguments per session,
   * the token expected, the new token and the state. Answers one {@code CAS} answer per session, in
   * order. Its keys lie in different slots: for a single server only (the background writer sends
   * the writes of many sessions with it; on a cluster, one {@code CAS} each).
   */
  static final Script CAS_MANY =
      Script.acrossSlots(
          """
          local out = {}
          for i = 1, #KEYS / 2 do
            local key, held = KEYS[2 * i - 1], KEYS[2 * i]
            local expected, new, state = ARGV[3 * i - 1], ARGV[3 * i], ARGV[3 * i + 1]
            local kind = redis.call('TYPE', key)['ok']
            local token = ''
            if kind == 'hash' then
              token = redis.call('HGET', key, 't') or '?'
            elseif kind ~= 'none' then
              token = '?'
            end
            local hold = false
            if expected ~= '!' and redis.call('EXISTS', held) == 1 then
              hold = 1
            end
            if token ~= expected or hold then
              local data = false
              local erased = false
              local restored = false
              local provisional = false
              local replaced = false
              if kind == 'hash' then
                data = redis.call('HGET', key, 'd')
                erased = redis.call('HGET', key, 'e')
                restored = redis.call('HGET', key, 'r')
                local p = redis.call('HGET', key, 'p')
                local q = redis.call('HGET', key, 'q')
                if p or q then
                  local now = redis.call('TIME')
                  local ms = now[1] * 1000 + math.floor(now[2] / 1000)
                  provisional = p and tonumber(p) > ms and 1 or false
                  replaced = q and tonumber(q) > ms and 1 or false
                end
              end
              out[i] = {0, token, data, erased, restored, hold, provisional, replaced}
            else
              if token == '?' then
                redis.call('DEL', key)
              end
              redis.call('HDEL', key, 'r', 'w')
              if state == '' then
                redis.call('HDEL', key, 'd')
                redis.call('HSET', key, 't', new)
              else
                redis.call('HSET', key, 't', new, 'd', state)
              end
              redis.call('PEXPIRE', key, ARGV[1])
              out[i] = {1}
            end
          end
          return out
          """);

  static final Script ERASE =
      Script.of(
          """
          local kind = redis.call('TYPE', KEYS[1])['ok']
          local erased = tonumber(ARGV[2])
          if kind == 'hash' then
            local before = tonumber(redis.call('HGET', KEYS[1], 'e') or '0') or 0
            if before >= erased then
              return {2}
            end
            redis.call('HDEL', KEYS[1], 'd')
          elseif kind ~= 'none' then
            redis.call('DEL', KEYS[1])
          end
          redis.call('HSET', KEYS[1], 't', ARGV[1], 'e', ARGV[2])
          if ARGV[4] and kind == 'none' then
            local now = redis.call('TIME')
            local till = now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[4])
            redis.call('HSET', KEYS[1], 'p', string.format('%.0f', till))
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          if KEYS[2] then
            redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
          end
          return {1}
          """);

  /**
   * Writes back a state Redis lost: sets token {@code ARGV[1]} and state {@code ARGV[2]} with TTL
   * {@code ARGV[3]} if the key is gone, or if it holds a state written back the same way (field
   * {@code r}: the visits of that state) from a copy with fewer visits than this one's, {@code
   * ARGV[4]}, and no write and no erasure came since, or a provisional state ({@code p} of {@link
   * #CAS}) still within its time, whose time it then keeps in field {@code q} (see {@link #CAS}).
   * So that when several instances write back their copies, the newest wins; a normal write ({@link
   * #CAS}) removes {@code r} (and {@code w}, below). The first write-back also sets the hold {@code
   * KEYS[2]} for {@code ARGV[5]} ms ({@link SessionKeys#writeBackHold}), during which {@link #CAS}
   * writes nothing and answers the hold as its sixth element: changes wait until every instance's
   * copy could land, however late it found that Redis lost its data. With {@code ARGV[6]} {@code
   * "1"} the copy is weak (field {@code w}): what a write whose answer never came sent, which may
   * or may not have landed ({@code UnansweredWrites}); it replaces only a gone key, a provisional
   * state or a weak copy with fewer visits, and any other copy replaces it. {@code ARGV[7]} is the
   * time of the erasure the copy was written on (0 for none, and for a weak copy), kept in {@code
   * e}: copies written back rank by it first, as a copy from before an erasure holds erased state
   * whatever its visits; and a tombstone with no state written on it since (an erasure that Redis
   * lost with its data, written again by the instance that made it) is replaced only by a copy made
   * after it.
   */
  static final Script RESTORE =
      Script.of(
          """
          local kind = redis.call('TYPE', KEYS[1])['ok']
          local replace = kind == 'none'
          local weak = ARGV[6] == '1'
          local mine = tonumber(ARGV[7])
          if kind == 'hash' then
            local e = tonumber(redis.call('HGET', KEYS[1], 'e') or '0') or 0
            local r = redis.call('HGET', KEYS[1], 'r')
            if e > 0 and redis.call('HEXISTS', KEYS[1], 'd') == 0 then
              replace = not weak and mine >= e
            elseif r and mine ~= e then
              replace = mine > e
            elseif r then
              local w = redis.call('HEXISTS', KEYS[1], 'w') == 1
              if weak then
                replace = w and tonumber(r) < tonumber(ARGV[4])
              else
                replace = w or tonumber(r) < tonumber(ARGV[4])
              end
            else
              local p = redis.call('HGET', KEYS[1], 'p')
              if p and mine >= e then
                local now = redis.call('TIME')
                replace = tonumber(p) > now[1] * 1000 + math.floor(now[2] / 1000)
                if replace then
                  redis.call('HSET', KEYS[1], 'q', p)
                end
              end
            end
          end
          if not replace then
            return {0}
          end
          redis.call('HDEL', KEYS[1], 'p')
          redis.call('HSET', KEYS[1], 't', ARGV[1], 'd', ARGV[2], 'r', ARGV[4])
          if mine > 0 then
            redis.call('HSET', KEYS[1], 'e', ARGV[7])
          end
          if weak then
            redis.call('HSET', KEYS[1], 'w', '1')
          else
            redis.call('HDEL', KEYS[1], 'w')
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 0 then
            redis.call('SET', KEYS[2], '1', 'PX', ARGV[5])
          end
          return {1}
          """);

  /**
   * Adds a session's key ({@code ARGV[1]}) to a user's set ({@code KEYS[1]}) and renews the set's
   * TTL ({@code ARGV[2]}), keeping at most {@code ARGV[3]} sessions; unless the user's erasure mark
   * ({@code KEYS[2]}, {@link SessionKeys#erasureMark} of the set's key: when the user was last
   * erased) is at or after the link's time ({@code ARGV[4]}, epoch microseconds): then it answers
   * {@code {2, erasedAt}}, and the caller erases the session as of then. So a link that waited in a
   * queue while the user was erased, from another instance, still has its session erased.
   */
  static final Script LINK =
      Script.of(
          """
          local erased = redis.call('GET', KEYS[2])
          if erased and tonumber(erased) >= tonumber(ARGV[4]) then
            return {2, erased}
          end
          redis.call('SADD', KEYS[1], ARGV[1])
          if redis.call('SCARD', KEYS[1]) > tonumber(ARGV[3]) then
            redis.call('SPOP', KEYS[1])
          end
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return {1}
          """);

  /**
   * Sets a user's erasure mark ({@code KEYS[1]}) to the erasure's time ({@code ARGV[1]}, epoch
   * microseconds) unless it holds a later one, with TTL {@code ARGV[2]}.
   */
  static final Script MARK_ERASED =
      Script.of(
          """
          local before = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
          if before < tonumber(ARGV[1]) then
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
          else
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
          end
          return {1}
          """);

  /**
   * Answers the version token of each key ({@code KEYS}), in order: {@code ""} for no key, {@code
   * "?"} for a key that holds something else. The check of the change reports of keys this instance
   * wrote lately, in one script for many: its keys lie in different slots, so on a single server
   * only (on a cluster, one {@code HGET} each).
   */
  static final Script TOKENS =
      Script.acrossSlots(
          """
          local out = {}
          for i = 1, #KEYS do
            local kind = redis.call('TYPE', KEYS[i])['ok']
            if kind == 'hash' then
              out[i] = redis.call('HGET', KEYS[i], 't') or '?'
            elseif kind == 'none' then
              out[i] = ''
            else
              out[i] = '?'
            end
          end
          return out
          """);

  private SessionScript() {}
}
