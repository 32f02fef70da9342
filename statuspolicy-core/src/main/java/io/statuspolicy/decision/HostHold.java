package io.statuspolicy.decision;

import java.util.Objects;

/**
 * A hold on an origin: a {@code Retry-After} on a 503 holds the origin for every call of the
 * client (RFC 9110 §15.6.4, §10.2.3: the service is unavailable, for everyone); on a 429, the
 * origin for that principal only (RFC 6585 §4: the limit is per client identity). A 413 with
 * {@code Retry-After} holds only the call that got it, and makes no hold. Immutable.
 *
 * <p>{@link Decider#holdAfter} says when a response makes one; {@link Decider#beforeAttempt}
 * decides what a hold means for the next attempt. Between the two a store keeps it (the engine's
 * {@code HoldStore}).
 *
 * @param scope       who is held
 * @param status      the status whose {@code Retry-After} made it (503 or 429)
 * @param untilMillis when the hold ends, on the engine's clock; never later than the policy's
 *                    {@code retryAfterCap} after it was made
 * @param probing     whether, the hold over, one call's probe is in flight: the others wait for
 *                    its answer, so no herd is released at one instant
 */
public record HostHold(Scope scope, int status, long untilMillis, boolean probing) {

    public HostHold {
        Objects.requireNonNull(scope, "scope");
    }

    /** Who a hold applies to. */
    public enum Scope {
        /** Every call to the origin (a 503). */
        ORIGIN("the origin"),
        /** Every call to the origin with the same credentials (a 429). */
        PRINCIPAL("the origin for these credentials");

        private final String phrase;

        Scope(String phrase) {
            this.phrase = phrase;
        }

        /** "the origin", for explanations. */
        public String phrase() {
            return phrase;
        }
    }

    /** The same hold with {@code probing} as given. */
    public HostHold withProbing(boolean value) {
        return new HostHold(scope, status, untilMillis, value);
    }
}
