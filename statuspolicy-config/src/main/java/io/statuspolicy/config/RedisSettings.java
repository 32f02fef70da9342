package io.statuspolicy.config;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code redis:} section of a policy file (issue 12): where statuspolicy-redis shares host
 * holds, learned redirects, stored responses and open circuits with the rest of a fleet, and how
 * little it may wait for Redis. A plain value: this module knows no Redis client; the
 * statuspolicy-redis module builds its stores from it ({@code RedisStores.create}).
 *
 * <pre>{@code
 * redis:
 *   uri: redis://redis.internal:6379/0
 *   share: [holds, redirects, responses]
 *   commandTimeout: 50ms
 * }</pre>
 *
 * @param uri            the server, {@code redis://[[user]:password@]host[:port][/database]} or
 *                       {@code rediss://} for TLS
 * @param keyPrefix      the start of every key and of the pub/sub channel (default
 *                       {@code statuspolicy:}); services that must not share use different ones
 * @param commandTimeout the longest a Redis command may take before the store gives up on it and
 *                       Redis is skipped (default 50 ms); also the longest a call waits for Redis
 * @param connectTimeout the longest a connection attempt may take (default 1 s; never on a call's path)
 * @param skipFor        how long Redis is skipped after a failure before it is tried again (default 30 s)
 * @param share          which state the fleet shares (default holds, redirects and responses;
 *                       circuits on request)
 * @param responseTtl    how long a stored response is kept in Redis (default 1 h)
 * @param maxEntryBytes  the largest stored response shared through Redis (default 256 KiB); a
 *                       larger one stays in the instance's own mirror
 */
public record RedisSettings(String uri, String keyPrefix, Duration commandTimeout, Duration connectTimeout,
        Duration skipFor, Set<Shared> share, Duration responseTtl, int maxEntryBytes) {

    /** What a fleet may share through Redis. */
    public enum Shared {
        /** Host holds: a 503's {@code Retry-After} per origin, a 429's per origin and principal. */
        HOLDS,
        /** Learned permanent redirects (301, 308), keyed by URI and principal. */
        REDIRECTS,
        /** Stored responses with validators, for conditional requests, keyed by URI and principal. */
        RESPONSES,
        /** The open state of circuit breakers (the decision, never the failure counts). */
        CIRCUITS
    }

    public static final String DEFAULT_KEY_PREFIX = "statuspolicy:";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMillis(50);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_SKIP_FOR = Duration.ofSeconds(30);
    public static final Set<Shared> DEFAULT_SHARE = Set.copyOf(EnumSet.of(Shared.HOLDS, Shared.REDIRECTS,
            Shared.RESPONSES));
    public static final Duration DEFAULT_RESPONSE_TTL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_ENTRY_BYTES = 256 * 1024;

    public RedisSettings {
        Objects.requireNonNull(uri, "uri");
        if (!uri.matches("(?i)(redis|rediss|redis-socket)://.+")) {
            throw new IllegalArgumentException("a URI such as redis://host:6379 (or rediss:// for TLS), was "
                    + Redacted.uri(uri));
        }
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.isEmpty() || keyPrefix.length() > 100 || !keyPrefix.matches("[\\x21-\\x7e]+")) {
            throw new IllegalArgumentException("a key prefix of 1 to 100 visible ASCII characters without spaces, "
                    + "such as statuspolicy:orders:, was \"" + keyPrefix + "\"");
        }
        requireBetween("commandTimeout", commandTimeout, Duration.ofMillis(1), Duration.ofSeconds(10));
        requireBetween("connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
        requireBetween("skipFor", skipFor, Duration.ofMillis(1), Duration.ofHours(1));
        share = Set.copyOf(Objects.requireNonNull(share, "share"));
        requireBetween("responseTtl", responseTtl, Duration.ofSeconds(1), Duration.ofDays(30));
        if (maxEntryBytes < 0 || maxEntryBytes > 64 * 1024 * 1024) {
            throw new IllegalArgumentException("maxEntryBytes from 0 to 67108864 (64 MiB), was " + maxEntryBytes);
        }
    }

    /** The defaults, with Redis at {@code uri}. */
    public static RedisSettings of(String uri) {
        return new RedisSettings(uri, DEFAULT_KEY_PREFIX, DEFAULT_COMMAND_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_SKIP_FOR, DEFAULT_SHARE, DEFAULT_RESPONSE_TTL, DEFAULT_MAX_ENTRY_BYTES);
    }

    /** These settings sharing {@code value}. */
    public RedisSettings withShare(Set<Shared> value) {
        return new RedisSettings(uri, keyPrefix, commandTimeout, connectTimeout, skipFor, value, responseTtl,
                maxEntryBytes);
    }

    /** These settings with {@code value} as the command timeout. */
    public RedisSettings withCommandTimeout(Duration value) {
        return new RedisSettings(uri, keyPrefix, value, connectTimeout, skipFor, share, responseTtl, maxEntryBytes);
    }

    /** These settings skipping Redis for {@code value} after a failure. */
    public RedisSettings withSkipFor(Duration value) {
        return new RedisSettings(uri, keyPrefix, commandTimeout, connectTimeout, value, share, responseTtl,
                maxEntryBytes);
    }

    /** These settings with {@code value} as the key prefix. */
    public RedisSettings withKeyPrefix(String value) {
        return new RedisSettings(uri, value, commandTimeout, connectTimeout, skipFor, share, responseTtl,
                maxEntryBytes);
    }

    /** Whether {@code state} is shared. */
    public boolean shares(Shared state) {
        return share.contains(state);
    }

    /** Without the password, should the URI carry one. */
    @Override
    public String toString() {
        return "RedisSettings[uri=" + Redacted.uri(uri) + ", keyPrefix=" + keyPrefix + ", commandTimeout="
                + commandTimeout + ", connectTimeout=" + connectTimeout + ", skipFor=" + skipFor + ", share="
                + share + ", responseTtl=" + responseTtl + ", maxEntryBytes=" + maxEntryBytes + "]";
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " from " + min.toMillis() + " ms to " + max.toMillis()
                    + " ms, was " + value.toMillis() + " ms");
        }
    }

    /** A Redis URI for messages: the userinfo (which may carry a password) replaced by {@code ***}. */
    static final class Redacted {
        private Redacted() {
        }

        static String uri(String uri) {
            return uri.replaceFirst("^([A-Za-z-]+://)[^@/]*@", "$1***@");
        }
    }
}
