package io.statuspolicy.redis;

/**
 * The two Lua scripts every write goes through, so each is one atomic step in Redis (EVAL;
 * Redis 7.0 caches a script by its SHA1, so sending it again costs no compilation). Every value
 * starts with its version as decimal digits (a hold's end, a redirect's learning time, a
 * response's storage time, a circuit's open-until), which is what the scripts compare: an older
 * entry never replaces a newer one, whichever instance writes last. Each write that changes
 * something also publishes, in the same step, the message that updates the other mirrors.
 */
final class Scripts {

    /**
     * KEYS[1] the key; ARGV[1] the version; ARGV[2] the value; ARGV[3] its TTL in milliseconds;
     * ARGV[4] the channel; ARGV[5] the message. Returns 1 when written, 0 when a newer or equal
     * entry stays.
     */
    static final String SET_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local version = tonumber(string.match(current, '^(%d+)'))
              if version and version >= tonumber(ARGV[1]) then
                return 0
              end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            redis.call('PUBLISH', ARGV[4], ARGV[5])
            return 1
            """;

    /**
     * KEYS[1] the key; ARGV[1] the newest version that may be deleted; ARGV[2] the channel;
     * ARGV[3] the message. Returns 1 when deleted, 0 when a newer entry stays (or none was there).
     */
    static final String DELETE_IF_NOT_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if not current then
              return 0
            end
            local version = tonumber(string.match(current, '^(%d+)'))
            if version and version > tonumber(ARGV[1]) then
              return 0
            end
            redis.call('DEL', KEYS[1])
            redis.call('PUBLISH', ARGV[2], ARGV[3])
            return 1
            """;

    private Scripts() {
    }
}
