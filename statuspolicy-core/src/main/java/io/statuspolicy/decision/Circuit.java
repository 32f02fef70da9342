package io.statuspolicy.decision;

import java.util.Objects;

/**
 * An origin's circuit breaker as a value (issue 11): what {@link Decider#circuitAfter} makes of a
 * finished call and {@link Decider#beforeAttempt} reads before every attempt. Immutable; a store
 * (the engine's {@code CircuitStore}) keeps one per origin that has failed lately. A closed
 * circuit with no failures is not kept at all.
 *
 * @param state           closed, open, or half-open (the one probe in flight)
 * @param failures        failed calls in a row (closed), or the count that opened it
 * @param openUntilMillis when an open circuit lets one probe go, on the engine's clock
 * @param lastStatus      the status of the last failure (0 for a transport failure), for explanations
 * @param lastMillis      when the circuit last changed, for the store's sweep
 */
public record Circuit(CircuitState state, int failures, long openUntilMillis, int lastStatus, long lastMillis) {

    public Circuit {
        Objects.requireNonNull(state, "state");
    }

    /** A closed circuit that saw no failure: what an origin without an entry has. */
    public static Circuit closed(long nowMillis) {
        return new Circuit(CircuitState.CLOSED, 0, 0, 0, nowMillis);
    }

    /** The half-open circuit, once one call claimed the probe. */
    public Circuit halfOpen(long nowMillis) {
        return new Circuit(CircuitState.HALF_OPEN, failures, openUntilMillis, lastStatus, nowMillis);
    }
}
