package io.statuspolicy.spring.boot;

import io.statuspolicy.config.RedisSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code statuspolicy.redis.*}: share host holds, learned redirects, stored responses (and, on
 * request, open circuits) with the rest of the fleet through Redis (statuspolicy-redis, issue 12).
 * On when {@code enabled=true} or a {@code uri} is set; the defaults are {@link RedisSettings}'s.
 */
@ConfigurationProperties("statuspolicy.redis")
public class StatusPolicyRedisProperties {
    /**
     * Whether the stores are shared through Redis. Setting a uri turns it on; with {@code true} and
     * no uri, the application's own Lettuce connection (spring.data.redis.*) is used.
     */
    private boolean enabled;

    /** The server, redis://[[user]:password@]host[:port][/database] (rediss:// for TLS). */
    private String uri;

    /** The start of every key and of the pub/sub channel. */
    private String keyPrefix = RedisSettings.DEFAULT_KEY_PREFIX;

    /** The longest a Redis command may take; also the longest a call may wait for Redis. */
    private Duration commandTimeout = RedisSettings.DEFAULT_COMMAND_TIMEOUT;

    /** The longest a connection attempt may take (never on a call's path). */
    private Duration connectTimeout = RedisSettings.DEFAULT_CONNECT_TIMEOUT;

    /** How long Redis is skipped after a failure before it is tried again. */
    private Duration skipFor = RedisSettings.DEFAULT_SKIP_FOR;

    /** Which state is shared: holds, redirects, responses, circuits. */
    private Set<RedisSettings.Shared> share = EnumSet.copyOf(RedisSettings.DEFAULT_SHARE);

    /** How long a stored response is kept in Redis. */
    private Duration responseTtl = RedisSettings.DEFAULT_RESPONSE_TTL;

    /** The largest stored response shared through Redis, in bytes. */
    private int maxEntryBytes = RedisSettings.DEFAULT_MAX_ENTRY_BYTES;

    /** These properties as settings, with {@code uri} (the property's, or one from the application's connection). */
    RedisSettings settings(String uri) {
        return new RedisSettings(uri, keyPrefix, commandTimeout, connectTimeout, skipFor, share, responseTtl,
                maxEntryBytes);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getKeyPrefix() {
        return keyPrefix;
    }

    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getSkipFor() {
        return skipFor;
    }

    public void setSkipFor(Duration skipFor) {
        this.skipFor = skipFor;
    }

    public Set<RedisSettings.Shared> getShare() {
        return share;
    }

    public void setShare(Set<RedisSettings.Shared> share) {
        this.share = share;
    }

    public Duration getResponseTtl() {
        return responseTtl;
    }

    public void setResponseTtl(Duration responseTtl) {
        this.responseTtl = responseTtl;
    }

    public int getMaxEntryBytes() {
        return maxEntryBytes;
    }

    public void setMaxEntryBytes(int maxEntryBytes) {
        this.maxEntryBytes = maxEntryBytes;
    }
}
