package io.statuspolicy.decision;

import io.statuspolicy.policy.Rule;
import java.util.Objects;

/**
 * What the origin's state (a {@link HostHold}, an open circuit) means for the next attempt of a
 * call, as {@link Decider#beforeAttempt} decides it before every attempt, the first included.
 * Immutable; each one explains itself in one line, naming the rule of the status that made the
 * state.
 */
public sealed interface HostCheck {

    /** One line in English, as {@link Decision#explain()}. */
    String explain();

    /** Nothing holds the origin: send. */
    record Proceed() implements HostCheck {
        static final Proceed INSTANCE = new Proceed();

        @Override
        public String explain() {
            return "the origin is not held: sending";
        }
    }

    /**
     * The hold (or the open circuit's delay) is over and no probe is in flight: this attempt may go
     * as the one probe, if the store grants it; the others wait for its answer.
     *
     * @param rule   the rule of the status that made the state
     * @param status that status (0 for a transport failure)
     */
    record Probe(Rule rule, int status) implements HostCheck {
        public Probe {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, status, null) + ": " + rule.says()
                    + "; the hold is over: this attempt goes first, as the one probe";
        }
    }

    /**
     * Wait this long before the attempt: the origin is held until then.
     *
     * @param rule        the rule of the status whose {@code Retry-After} made the hold
     * @param hold        the hold
     * @param delayMillis how long; positive, shorter than the time left before the deadline
     */
    record Wait(Rule rule, HostHold hold, long delayMillis) implements HostCheck {
        public Wait {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(hold, "hold");
            if (delayMillis <= 0) {
                throw new IllegalArgumentException("a hold's wait is positive, was " + delayMillis);
            }
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, hold.status(), null) + ": " + rule.says() + "; " + hold.scope().phrase()
                    + " is held by an earlier Retry-After: waiting " + DecisionText.duration(delayMillis)
                    + " before this attempt";
        }
    }

    /**
     * Wait for the probe in flight to answer, at most {@code maxMillis} (the time left), then check
     * again.
     */
    record AwaitProbe(Rule rule, HostHold hold, long maxMillis) implements HostCheck {
        public AwaitProbe {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(hold, "hold");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, hold.status(), null) + ": " + rule.says() + "; the hold on "
                    + hold.scope().phrase() + " is over and one probe is in flight: waiting for its answer";
        }
    }

    /** Do not send: the call ends with this decision (a hold beyond the deadline, an open circuit). */
    record Refuse(Decision.Fail decision) implements HostCheck {
        public Refuse {
            Objects.requireNonNull(decision, "decision");
        }

        @Override
        public String explain() {
            return decision.explain();
        }
    }
}
