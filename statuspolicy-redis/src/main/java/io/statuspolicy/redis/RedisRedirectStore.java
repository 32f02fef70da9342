package io.statuspolicy.redis;

import io.statuspolicy.engine.RedirectStore;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Learned permanent redirects shared through Redis: a local {@link RedirectStore#inMemory}
 * mirror, keyed by digest, answers every lookup and never waits. A redirect learned here is
 * written to the mirror, to Redis (unless Redis learned a later one) and published with its
 * target, so the other instances go straight to the new URI on their next call. A local miss
 * starts a read from Redis in the background (at most once per key per {@link #MISS_MILLIS}) for
 * the instances that started after the redirect was learned; that call goes to the old URI, as
 * it would without Redis. The engine decides every remembered redirect like a live one (method,
 * credentials, downgrade, loop) before using it, so an entry from Redis is only a hint.
 *
 * <p>Value: {@code learnedAt status expiresAt target}; TTL: the entry's lifetime.
 */
final class RedisRedirectStore implements RedirectStore {
    /** How long a key Redis did not have is not asked for again (unless another instance stores it). */
    static final long MISS_MILLIS = 10_000;

    private final RedisStores redis;
    private final RedirectStore mirror;
    private final Misses misses;

    RedisRedirectStore(RedisStores redis, int maxKeys) {
        this.redis = redis;
        this.mirror = RedirectStore.inMemory(maxKeys);
        this.misses = new Misses(MISS_MILLIS, maxKeys);
    }

    @Override
    public boolean isEmpty() {
        return mirror.isEmpty() && !redis.usable(); // with Redis up, a miss may be another instance's hit
    }

    @Override
    public Moved lookup(String key) {
        String digest = Keys.digest(key);
        Moved moved = mirror.lookup(digest);
        if (moved != null || !redis.usable() || !misses.claim(digest)) {
            return moved;
        }
        redis.run(c -> c.get(redis.keys().redirect(digest))).thenAccept(value -> {
            Moved found = value == null ? null : parse(new String(value, StandardCharsets.UTF_8).split(" "), 0);
            if (found != null && found.liveAt(redis.clock().millis())) {
                mirror.remember(digest, found);
            }
        });
        return null;
    }

    @Override
    public void remember(String key, Moved moved) {
        String digest = Keys.digest(key);
        mirror.remember(digest, moved);
        long now = redis.clock().millis();
        String value = now + " " + moved.status() + " " + moved.expiresAtMillis() + " " + moved.target();
        redis.setIfNewer(redis.keys().redirect(digest), now, value.getBytes(StandardCharsets.UTF_8),
                moved.expiresAtMillis() - now, "redir " + digest + " " + value);
    }

    @Override
    public void forget(String key) {
        String digest = Keys.digest(key);
        mirror.forget(digest);
        redis.deleteIfNotNewer(redis.keys().redirect(digest), redis.clock().millis(), "forget " + digest);
    }

    /** {@code sender redir digest learnedAt status expiresAt target}, or {@code sender forget digest}. */
    void received(String[] words, long nowMillis) {
        String digest = words[2];
        misses.clear(digest);
        if (words[1].equals("forget")) {
            mirror.forget(digest);
            return;
        }
        Moved moved = parse(words, 3);
        if (moved != null && moved.liveAt(nowMillis)) {
            mirror.remember(digest, moved);
        }
    }

    /** For tests: whether the local mirror holds nothing. */
    boolean mirrorIsEmpty() {
        return mirror.isEmpty();
    }

    void outageEnded() {
        misses.clearAll();
    }

    /** {@code learnedAt status expiresAt target} from {@code from}; null when malformed. */
    private static Moved parse(String[] words, int from) {
        if (words.length != from + 4) {
            return null;
        }
        try {
            URI target = URI.create(words[from + 3]);
            if (!target.isAbsolute()) {
                return null;
            }
            return new Moved(target, Integer.parseInt(words[from + 1]), Long.parseLong(words[from + 2]));
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "RedisRedirectStore[" + redis + "]";
    }
}
