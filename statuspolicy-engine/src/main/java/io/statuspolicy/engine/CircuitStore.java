package io.statuspolicy.engine;

import io.statuspolicy.decision.Circuit;
import java.util.function.UnaryOperator;

/**
 * Where a client keeps its circuit breakers (issue 11), one {@link Circuit} per origin
 * ({@code scheme://host:port}) that failed lately; an origin without an entry is closed. The
 * {@link io.statuspolicy.decision.Decider} decides every change; the store applies it atomically
 * per key. A shared implementation (issue 12) may back it, sharing the decision (open until),
 * never the per-call count: as for holds, a failure reads as "closed" and never fails a call.
 *
 * <p>Implementations are thread-safe and bounded.
 */
public interface CircuitStore {

    /** The circuit of {@code origin}, or null when it is closed with no failure. */
    Circuit get(String origin);

    /**
     * Replaces {@code origin}'s circuit with {@code change} applied to it (null in, null out: a
     * closed circuit with no failure), atomically, and returns the result. {@code change} is pure
     * and may be applied more than once.
     */
    Circuit update(String origin, long nowMillis, UnaryOperator<Circuit> change);

    /** Whether the store certainly holds nothing (checked before every attempt, without a lock). */
    default boolean isEmpty() {
        return false;
    }

    /**
     * An in-memory store of at most {@code maxKeys} origins: entries idle for a minute are swept as
     * the hold store's are; beyond the bound a new origin is not tracked (its circuit stays closed).
     */
    static CircuitStore inMemory(int maxKeys) {
        return new InMemoryCircuitStore(maxKeys);
    }
}
