package io.statuspolicy.redis;

import io.statuspolicy.decision.HostHold;
import io.statuspolicy.engine.HoldStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Host holds shared through Redis: a local {@link HoldStore#inMemory} mirror, keyed by digest,
 * answers every read; a new hold is written to the mirror, then to Redis (kept only when it ends
 * later than what Redis has) and published, so the other instances hold off at once. A hold read
 * from another instance or from Redis is capped by the policy's {@code retryAfterCap}. The probe
 * slot stays per instance: after a hold each instance sends its own one probe, not a herd; a probe's
 * success lifts the hold for the fleet (unless a newer hold was made meanwhile).
 *
 * <p>Value: {@code until status scope}; TTL: the rest of the hold plus the probe lease.
 */
final class RedisHoldStore implements HoldStore {
    private final RedisStores redis;
    private final HoldStore mirror;
    private final long maxHoldMillis;

    RedisHoldStore(RedisStores redis, long maxHoldMillis, int maxKeys) {
        this.redis = redis;
        this.mirror = HoldStore.inMemory(maxKeys);
        this.maxHoldMillis = maxHoldMillis;
    }

    @Override
    public boolean isEmpty() {
        return mirror.isEmpty();
    }

    @Override
    public HostHold get(String key, long nowMillis) {
        return mirror.get(Keys.digest(key), nowMillis);
    }

    @Override
    public void hold(String key, HostHold hold, long nowMillis) {
        String digest = Keys.digest(key);
        HostHold capped = capped(hold, nowMillis);
        mirror.hold(digest, capped, nowMillis);
        String value = capped.untilMillis() + " " + capped.status() + " " + capped.scope().name();
        redis.setIfNewer(redis.keys().hold(digest), capped.untilMillis(), value.getBytes(StandardCharsets.US_ASCII),
                capped.untilMillis() - nowMillis + PROBE_LEASE_MILLIS, "hold " + digest + " " + value);
    }

    @Override
    public boolean claimProbe(String key, long nowMillis) {
        return mirror.claimProbe(Keys.digest(key), nowMillis);
    }

    @Override
    public void probeEnded(String key, boolean released, long nowMillis) {
        String digest = Keys.digest(key);
        HostHold before = released ? mirror.get(digest, nowMillis) : null;
        mirror.probeEnded(digest, released, nowMillis);
        if (before != null && mirror.get(digest, nowMillis) == null) {
            redis.deleteIfNotNewer(redis.keys().hold(digest), before.untilMillis(),
                    "release " + digest + " " + before.untilMillis());
        }
    }

    @Override
    public CompletableFuture<Void> whenProbeEnds(String key) {
        return mirror.whenProbeEnds(Keys.digest(key));
    }

    /** {@code sender hold digest until status scope}, or {@code sender release digest until}. */
    void received(String[] words, long nowMillis) {
        String digest = words[2];
        if (words[1].equals("release")) {
            mirror.probeEnded(digest, true, nowMillis); // lifts only a hold that has ended: a newer one stays
            return;
        }
        HostHold hold = parse(words[3], words[4], words[5]);
        if (hold != null) {
            mirror.hold(digest, capped(hold, nowMillis), nowMillis);
        }
    }

    /** A hold found by the SCAN after (re)connecting. */
    void loaded(String key, byte[] value) {
        String[] fields = new String(value, StandardCharsets.US_ASCII).split(" ");
        if (fields.length == 3) {
            long now = redis.clock().millis();
            HostHold hold = parse(fields[0], fields[1], fields[2]);
            if (hold != null) {
                mirror.hold(Keys.digestOf(key), capped(hold, now), now);
            }
        }
    }

    private static HostHold parse(String until, String status, String scope) {
        try {
            int code = Integer.parseInt(status);
            if (code != 503 && code != 429) {
                return null;
            }
            return new HostHold(HostHold.Scope.valueOf(scope), code, Long.parseLong(until), false);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** No hold, however it came, lasts longer than the policy's {@code retryAfterCap} from now. */
    private HostHold capped(HostHold hold, long nowMillis) {
        long latest = nowMillis + maxHoldMillis;
        return hold.untilMillis() <= latest ? hold
                : new HostHold(hold.scope(), hold.status(), latest, hold.probing());
    }

    @Override
    public String toString() {
        return "RedisHoldStore[" + redis + "]";
    }
}
