package io.statuspolicy.redis;

import io.statuspolicy.decision.Circuit;
import io.statuspolicy.decision.CircuitState;
import io.statuspolicy.engine.CircuitStore;
import io.statuspolicy.engine.HoldStore;
import java.nio.charset.StandardCharsets;
import java.util.function.UnaryOperator;

/**
 * The open state of circuit breakers shared through Redis, never their counts (the objection to
 * shared failure windows is their latency; a decision is one small write). Each instance counts
 * its own failures in a local {@link CircuitStore#inMemory} mirror; when its circuit opens, the
 * opening (open until, the count and the status that opened it) is written to Redis and published,
 * and the other instances open theirs until the same time. Probes and closing stay per instance.
 * An opening read from elsewhere is capped by the policy's {@code circuitBreaker.openFor}.
 *
 * <p>Value: {@code openUntil failures lastStatus}; TTL: the rest of the open time plus a probe lease.
 */
final class RedisCircuitStore implements CircuitStore {
    private final RedisStores redis;
    private final CircuitStore mirror;
    private final long maxOpenMillis;

    RedisCircuitStore(RedisStores redis, long maxOpenMillis, int maxKeys) {
        this.redis = redis;
        this.mirror = CircuitStore.inMemory(maxKeys);
        this.maxOpenMillis = maxOpenMillis;
    }

    @Override
    public boolean isEmpty() {
        return mirror.isEmpty();
    }

    @Override
    public Circuit get(String origin) {
        return mirror.get(Keys.digest(origin));
    }

    @Override
    public Circuit update(String origin, long nowMillis, UnaryOperator<Circuit> change) {
        String digest = Keys.digest(origin);
        Circuit before = mirror.get(digest);
        Circuit after = mirror.update(digest, nowMillis, change);
        boolean opened = after != null && after.state() == CircuitState.OPEN
                && (before == null || before.state() != CircuitState.OPEN
                        || before.openUntilMillis() != after.openUntilMillis());
        if (opened) {
            String value = after.openUntilMillis() + " " + after.failures() + " " + after.lastStatus();
            redis.setIfNewer(redis.keys().circuit(digest), after.openUntilMillis(),
                    value.getBytes(StandardCharsets.US_ASCII),
                    after.openUntilMillis() - nowMillis + HoldStore.PROBE_LEASE_MILLIS, "cb " + digest + " " + value);
        }
        return after;
    }

    /** {@code sender cb digest openUntil failures lastStatus}. */
    void received(String[] words, long nowMillis) {
        open(words[2], words[3], words[4], words[5], nowMillis);
    }

    /** An opening found by the SCAN after (re)connecting. */
    void loaded(String key, byte[] value) {
        String[] fields = new String(value, StandardCharsets.US_ASCII).split(" ");
        if (fields.length == 3) {
            open(Keys.digestOf(key), fields[0], fields[1], fields[2], redis.clock().millis());
        }
    }

    private void open(String digest, String openUntil, String failures, String lastStatus, long nowMillis) {
        long until;
        int count;
        int status;
        try {
            until = Math.min(Long.parseLong(openUntil), nowMillis + maxOpenMillis);
            count = Integer.parseInt(failures);
            status = Integer.parseInt(lastStatus);
        } catch (NumberFormatException malformed) {
            return;
        }
        if (until <= nowMillis) {
            return;
        }
        mirror.update(digest, nowMillis, circuit -> circuit != null && circuit.state() == CircuitState.OPEN
                && circuit.openUntilMillis() >= until ? circuit
                : new Circuit(CircuitState.OPEN, count, until, status, nowMillis));
    }

    @Override
    public String toString() {
        return "RedisCircuitStore[" + redis + "]";
    }
}
