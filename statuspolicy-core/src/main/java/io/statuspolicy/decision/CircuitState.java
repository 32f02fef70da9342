package io.statuspolicy.decision;

/** The state of an origin's circuit breaker (issue 11). */
public enum CircuitState {
    /** Calls go as usual; failed calls in a row are counted. */
    CLOSED,
    /** Calls fail at once, until the open delay ends. */
    OPEN,
    /** The open delay ended: one call goes as the probe, the others fail at once until it answers. */
    HALF_OPEN
}
