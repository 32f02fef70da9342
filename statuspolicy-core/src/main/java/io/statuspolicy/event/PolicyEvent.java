package io.statuspolicy.event;

import io.statuspolicy.decision.Decision;
import java.net.URI;

/**
 * The events an executor reports, as records. Times are milliseconds on the executor's clock.
 * URIs are as requested: a listener that prints them must redact them first
 * ({@code io.statuspolicy.http.Redaction#uri}).
 */
public sealed interface PolicyEvent {

    /** When the event happened, on the executor's clock. */
    long atMillis();

    /**
     * A request is about to be sent.
     *
     * @param attempt the attempt number within the call (1 for the first; redirects and repairs
     *                count as further requests)
     */
    record AttemptStarted(String method, URI uri, int attempt, long atMillis) implements PolicyEvent {
    }

    /** The decision for one outcome. */
    record DecisionMade(String method, URI uri, Decision decision, long atMillis) implements PolicyEvent {
    }

    /** A wait before the next request. */
    record Waiting(Decision decision, long delayMillis, long atMillis) implements PolicyEvent {
    }

    /** The call ended with a failure decision. */
    record GaveUp(String method, URI uri, Decision.Fail decision, int requests, long atMillis)
            implements PolicyEvent {
    }

    /**
     * The call ended, well or badly.
     *
     * @param decision   the final decision, or null when the call ended by an exception the
     *                   policy did not decide (an interrupt, a cancelled future)
     * @param requests   requests sent in the call
     * @param retries    retries among them
     * @param redirects  redirects followed
     * @param durationMillis the call's duration
     */
    record CallFinished(String method, URI uri, Decision decision, int requests, int retries, int redirects,
            long durationMillis, long atMillis) implements PolicyEvent {
    }
}
