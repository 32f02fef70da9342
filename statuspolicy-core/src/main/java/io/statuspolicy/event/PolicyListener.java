package io.statuspolicy.event;

import java.util.List;

/**
 * Hears what an executor does, for logging, tracing and metrics. Every method has a no-op
 * default, so a listener implements only what it needs. Events are immutable records.
 *
 * <p>Executors call listeners on the calling thread (or the thread completing an asynchronous
 * call) and wrap them with {@link #safe(PolicyListener)}: a listener that throws never breaks a
 * call. Listeners must be thread-safe; they are shared by concurrent calls.
 */
public interface PolicyListener {

    /** The listener that does nothing; executors skip building events for it. */
    PolicyListener NONE = new PolicyListener() {
        @Override
        public String toString() {
            return "PolicyListener.NONE";
        }
    };

    /** A request is about to be sent. */
    default void attemptStarted(PolicyEvent.AttemptStarted event) {
    }

    /** The decision function decided what to do with an outcome. */
    default void decisionMade(PolicyEvent.DecisionMade event) {
    }

    /** The executor starts waiting before the next request. */
    default void waiting(PolicyEvent.Waiting event) {
    }

    /** Before an attempt, a host hold made the call wait or go as the probe (issue 11). */
    default void hostChecked(PolicyEvent.HostChecked event) {
    }

    /** An origin's circuit breaker changed state (issue 11). */
    default void circuitChanged(PolicyEvent.CircuitChanged event) {
    }

    /** A shared store failed and is skipped for a while; calls go on with local state (issue 12). */
    default void storeDegraded(PolicyEvent.StoreDegraded event) {
    }

    /** A shared store that was skipped answers again (issue 12). */
    default void storeRecovered(PolicyEvent.StoreRecovered event) {
    }

    /** The call ended without the response the caller wanted. */
    default void gaveUp(PolicyEvent.GaveUp event) {
    }

    /** The call ended; every call ends with exactly one of these. */
    default void callFinished(PolicyEvent.CallFinished event) {
    }

    /**
     * {@code listener}, with every exception it throws caught and dropped (a failing listener
     * must not change what the call does). Errors such as {@link OutOfMemoryError} still pass.
     */
    static PolicyListener safe(PolicyListener listener) {
        if (listener == NONE || listener instanceof SafeListener) {
            return listener;
        }
        return new SafeListener(listener);
    }

    /** One listener that tells each of {@code listeners}, in order, each one guarded. */
    static PolicyListener composite(List<PolicyListener> listeners) {
        List<PolicyListener> real = listeners.stream().filter(l -> l != NONE).map(PolicyListener::safe).toList();
        if (real.isEmpty()) {
            return NONE;
        }
        return real.size() == 1 ? real.get(0) : new CompositeListener(real);
    }
}
