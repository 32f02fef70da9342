package io.statuspolicy.event;

import io.statuspolicy.decision.Decision;
import java.net.URI;
import java.util.List;

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
     * @param attempt     the attempt number within the call (1 for the first; redirects and repairs
     *                    count as further requests)
     * @param headerNames the names of the header fields it carries, as sent (never their values)
     * @param type        why it is sent; OpenTelemetry's {@code http.request.resend_count} is
     *                    {@code attempt - 1}
     */
    record AttemptStarted(String method, URI uri, int attempt, long atMillis, List<String> headerNames,
            AttemptType type) implements PolicyEvent {
        public AttemptStarted {
            headerNames = headerNames == null ? List.of() : List.copyOf(headerNames);
            if (type == null) {
                type = attempt <= 1 ? AttemptType.ORIGINAL : AttemptType.RETRY;
            }
        }

        /**
         * Without a type (an executor that does not know why it resends): {@link AttemptType#ORIGINAL}
         * for the first attempt, {@link AttemptType#RETRY} for later ones.
         */
        public AttemptStarted(String method, URI uri, int attempt, long atMillis, List<String> headerNames) {
            this(method, uri, attempt, atMillis, headerNames, null);
        }

        /** Without header names or a type. */
        public AttemptStarted(String method, URI uri, int attempt, long atMillis) {
            this(method, uri, attempt, atMillis, List.of(), null);
        }
    }

    /**
     * The decision for one outcome.
     *
     * @param responseHeaderNames the names of the response's header fields (never their values);
     *                            empty when there was no response
     */
    record DecisionMade(String method, URI uri, Decision decision, long atMillis, List<String> responseHeaderNames)
            implements PolicyEvent {
        public DecisionMade {
            responseHeaderNames = responseHeaderNames == null ? List.of() : List.copyOf(responseHeaderNames);
        }

        /** Without response header names. */
        public DecisionMade(String method, URI uri, Decision decision, long atMillis) {
            this(method, uri, decision, atMillis, List.of());
        }
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

    /**
     * Before an attempt, the origin's state (a host hold, issue 11) made the call wait, wait for a
     * probe, or go as the probe. Added in issue 11; a hold or an open circuit that refuses the call
     * is reported as a {@link DecisionMade} with its {@link Decision.Fail}.
     *
     * @param check what was decided, with its {@link io.statuspolicy.decision.HostCheck#explain()}
     */
    record HostChecked(String method, URI uri, io.statuspolicy.decision.HostCheck check, long atMillis)
            implements PolicyEvent {
    }

    /**
     * An origin's circuit breaker changed state (issue 11): closed to open after sustained failure,
     * open to half-open when one probe goes, half-open to closed on the probe's success or back to
     * open on its failure.
     *
     * @param origin      the origin, {@code scheme://host:port}
     * @param from        the state before
     * @param to          the state now
     * @param explanation one line: why, with the rule of the last failure
     */
    record CircuitChanged(String origin, io.statuspolicy.decision.CircuitState from,
            io.statuspolicy.decision.CircuitState to, String explanation, long atMillis) implements PolicyEvent {
    }
    /**
     * A shared store (the Redis stores of statuspolicy-redis, issue 12) failed or was too slow, and
     * is skipped for a while: calls go on with the instance's own state, so what is lost is the
     * sharing with the fleet, never a call. Reported once per outage, when the store starts being
     * skipped; {@link StoreRecovered} follows when it answers again.
     *
     * @param store          which store, e.g. {@code "redis 127.0.0.1:6379"} (never a password)
     * @param problem        one line: what failed (a timeout, a refused connection, an error reply)
     * @param skipMillis     how long it is skipped before the next try
     */
    record StoreDegraded(String store, String problem, long skipMillis, long atMillis) implements PolicyEvent {
    }

    /**
     * A shared store that was skipped answers again (issue 12); sharing resumes.
     *
     * @param store          which store, as in {@link StoreDegraded}
     * @param degradedMillis how long it was skipped
     */
    record StoreRecovered(String store, long degradedMillis, long atMillis) implements PolicyEvent {
    }
}
