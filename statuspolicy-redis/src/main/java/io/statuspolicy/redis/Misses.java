package io.statuspolicy.redis;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys recently looked up in Redis and not found there, so a local miss costs one Redis read per
 * key per {@code ttlNanos}, not one per call. A message from another instance that it stored the
 * key clears its entry at once. Bounded: past {@code maxKeys} the map is cleared (the worst case
 * is one more read per key). Thread-safe.
 */
final class Misses {
    private final ConcurrentHashMap<String, Long> recheckAt = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxKeys;

    Misses(long ttlMillis, int maxKeys) {
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.maxKeys = maxKeys;
    }

    /**
     * Whether {@code digest} should be read from Redis now; when it should, it is marked as read,
     * so concurrent calls do not all read it.
     */
    boolean claim(String digest) {
        long now = System.nanoTime();
        Long at = recheckAt.get(digest);
        if (at != null && now - at < 0) {
            return false;
        }
        if (recheckAt.size() >= maxKeys) {
            recheckAt.clear();
        }
        Long next = now + ttlNanos;
        return at == null ? recheckAt.putIfAbsent(digest, next) == null : recheckAt.replace(digest, at, next);
    }

    /** Another instance stored {@code digest}: read it again on the next local miss. */
    void clear(String digest) {
        recheckAt.remove(digest);
    }

    /** After an outage: every key may have changed. */
    void clearAll() {
        recheckAt.clear();
    }
}
