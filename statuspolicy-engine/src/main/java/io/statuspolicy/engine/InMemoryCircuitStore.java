package io.statuspolicy.engine;

import io.statuspolicy.decision.Circuit;
import io.statuspolicy.decision.CircuitState;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * {@link CircuitStore#inMemory}: a concurrent map, changed with {@code compute} (atomic per key).
 * A closed circuit without failures is removed; an entry unchanged for {@link #IDLE_MILLIS}
 * (and not half-open) is swept when a new origin arrives and the map holds more than
 * {@code sweepAt} keys, so each new key costs amortised O(1) and a read never scans.
 */
final class InMemoryCircuitStore implements CircuitStore {
    /** An entry unchanged this long is forgotten: an origin unused for a minute starts closed again. */
    static final long IDLE_MILLIS = 60_000;

    private final int maxKeys;
    private final ConcurrentHashMap<String, Circuit> circuits = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile int sweepAt = 64;

    InMemoryCircuitStore(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("a circuit store keeps at least 1 key, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    @Override
    public boolean isEmpty() {
        return circuits.isEmpty();
    }

    @Override
    public Circuit get(String origin) {
        return circuits.get(origin);
    }

    @Override
    public Circuit update(String origin, long nowMillis, UnaryOperator<Circuit> change) {
        if (!circuits.containsKey(origin)) {
            if (circuits.size() >= sweepAt) {
                sweep(nowMillis);
            }
            if (circuits.size() >= maxKeys) {
                return change.apply(null); // not kept: the circuit of an untracked origin stays closed
            }
        }
        return circuits.compute(origin, (key, circuit) -> change.apply(circuit));
    }

    /** For tests: how many origins the map holds. */
    int keys() {
        return circuits.size();
    }

    private void sweep(long nowMillis) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Map.Entry<String, Circuit> entry : circuits.entrySet()) {
                Circuit circuit = entry.getValue();
                if (circuit.state() != CircuitState.HALF_OPEN && nowMillis - circuit.lastMillis() >= IDLE_MILLIS
                        && nowMillis >= circuit.openUntilMillis()) {
                    circuits.remove(entry.getKey(), circuit);
                }
            }
            sweepAt = Math.max(64, (int) Math.min(Integer.MAX_VALUE, 2L * circuits.size()));
        } finally {
            sweeping.set(false);
        }
    }
}
