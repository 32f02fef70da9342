package io.statuspolicy.redis;

import io.statuspolicy.engine.CachedResponse;
import io.statuspolicy.engine.ResponseStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stored responses shared through Redis. A local {@link ResponseStore#inMemory} mirror, keyed by
 * digest, answers first; on a local miss the call reads Redis and waits at most the command
 * timeout (the one wait a call may have for Redis: it saves a whole body when it finds one); a
 * key Redis did not have is not asked for again for {@link #MISS_MILLIS} unless another instance
 * stores it. A response stored here goes to the mirror, then to Redis (unless Redis has one
 * stored later) with the response TTL, and the other instances are told to drop an older copy.
 * Responses larger than {@code maxEntryBytes} stay in the mirror. The engine's keys include a
 * digest of the credentials, so one principal's response is never served to another.
 */
final class RedisResponseStore implements ResponseStore {
    static final long MISS_MILLIS = 10_000;

    private final RedisStores redis;
    private final ResponseStore mirror;
    private final Misses misses;
    private final int maxEntryBytes;
    private final long ttlMillis;

    RedisResponseStore(RedisStores redis, long mirrorBytes, int maxEntryBytes, long ttlMillis, int maxKeys) {
        this.redis = redis;
        this.mirror = ResponseStore.inMemory(mirrorBytes);
        this.misses = new Misses(MISS_MILLIS, maxKeys);
        this.maxEntryBytes = maxEntryBytes;
        this.ttlMillis = ttlMillis;
    }

    @Override
    public CachedResponse get(String key) {
        String digest = Keys.digest(key);
        CachedResponse local = mirror.get(digest);
        if (local != null || !redis.usable() || !misses.claim(digest)) {
            return local;
        }
        CompletableFuture<byte[]> read = redis.run(c -> c.get(redis.keys().response(digest)));
        byte[] value;
        try {
            value = read.get(redis.timeoutMillis() + 5, TimeUnit.MILLISECONDS); // the run's own timeout ends it first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException unavailable) {
            return null;
        }
        CachedResponse found = ResponseCodec.decode(value, maxEntryBytes + 64 * 1024);
        if (found != null) {
            misses.clear(digest);
            mirror.put(digest, found);
        }
        return found;
    }

    @Override
    public void put(String key, CachedResponse response) {
        String digest = Keys.digest(key);
        mirror.put(digest, response);
        String redisKey = redis.keys().response(digest);
        String message = "resp " + digest + " " + response.storedAtMillis();
        if (response.size() > maxEntryBytes) {
            redis.deleteIfNotNewer(redisKey, response.storedAtMillis(), message); // an older shared copy goes
            return;
        }
        redis.setIfNewer(redisKey, response.storedAtMillis(), ResponseCodec.encode(response), ttlMillis, message);
    }

    @Override
    public void remove(String key) {
        String digest = Keys.digest(key);
        mirror.remove(digest);
        long now = redis.clock().millis();
        redis.deleteIfNotNewer(redis.keys().response(digest), now, "resp " + digest + " " + now);
    }

    /** {@code sender resp digest storedAt}: another instance stored or removed it; an older copy here goes. */
    void received(String[] words) {
        String digest = words[2];
        long storedAt = Long.parseLong(words[3]);
        misses.clear(digest);
        CachedResponse local = mirror.get(digest);
        if (local != null && local.storedAtMillis() < storedAt) {
            mirror.remove(digest);
        }
    }

    void outageEnded() {
        misses.clearAll();
    }

    @Override
    public String toString() {
        return "RedisResponseStore[" + redis + ", mirror " + mirror + "]";
    }
}
