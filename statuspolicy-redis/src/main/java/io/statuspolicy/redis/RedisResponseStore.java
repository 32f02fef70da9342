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
    /**
     * A 304 freshens the stored copy on every revalidation; with the same validators and body the
     * copy in Redis is rewritten at most this often, not once per call (64 KiB per 304 otherwise).
     */
    static final long RESHARE_MILLIS = 60_000;

    private final RedisStores redis;
    private final ResponseStore mirror;
    private final Misses misses;
    private final int maxEntryBytes;
    private final long ttlMillis;
    /** When each key was last written to Redis, for {@link #RESHARE_MILLIS}; cleared past the mirror's bound. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> sharedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final int maxKeys;

    RedisResponseStore(RedisStores redis, long mirrorBytes, int maxEntryBytes, long ttlMillis, int maxKeys) {
        this.redis = redis;
        this.mirror = ResponseStore.inMemory(mirrorBytes);
        this.misses = new Misses(MISS_MILLIS, maxKeys);
        this.maxEntryBytes = maxEntryBytes;
        this.ttlMillis = ttlMillis;
        this.maxKeys = maxKeys;
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
        CachedResponse previous = mirror.get(digest);
        mirror.put(digest, response);
        if (previous != null && sameRepresentation(previous, response)) {
            Long at = sharedAt.get(digest);
            if (at != null && response.storedAtMillis() - at < RESHARE_MILLIS) {
                return; // only freshened: the copy in Redis is as good, and recent enough
            }
        }
        if (sharedAt.size() >= maxKeys) {
            sharedAt.clear();
        }
        sharedAt.put(digest, response.storedAtMillis());
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

    private static boolean sameRepresentation(CachedResponse a, CachedResponse b) {
        return a.status() == b.status() && a.size() == b.size()
                && java.util.Objects.equals(a.header("ETag"), b.header("ETag"))
                && java.util.Objects.equals(a.header("Last-Modified"), b.header("Last-Modified"))
                && java.util.Arrays.equals(a.body(), b.body());
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
