package io.statuspolicy.jdk;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * A call that ended without a response the policy lets through: retries exhausted, the budget
 * or the deadline reached, a transport failure not recovered. It says what was tried: the
 * decision (with the rule and reason), the number of requests and retries, the total wait and
 * the last status. Earlier failures of the same call are attached as suppressed exceptions; the
 * last transport failure is the cause.
 *
 * <p>Error responses that the policy does not retry are not thrown: they are returned as the
 * response (statuses are data). When retries of a status run out, the last response is
 * available from {@link #response()}, body included.
 */
public final class PolicyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Decision.Fail decision;
    private final int requests;
    private final int retries;
    private final long waitedMillis;
    private final transient HttpResponse<?> response;

    PolicyException(Decision.Fail decision, int requests, int retries, long waitedMillis, HttpResponse<?> response,
            Throwable cause) {
        super(message(decision, requests, retries, waitedMillis), cause);
        this.decision = Objects.requireNonNull(decision, "decision");
        this.requests = requests;
        this.retries = retries;
        this.waitedMillis = waitedMillis;
        this.response = response;
    }

    private static String message(Decision.Fail decision, int requests, int retries, long waitedMillis) {
        return decision.explain() + " [" + requests + (requests == 1 ? " request" : " requests") + ", "
                + retries + (retries == 1 ? " retry" : " retries") + ", waited " + waitedMillis + " ms]";
    }

    /** The decision that ended the call: rule, reason, status. */
    public Decision.Fail decision() {
        return decision;
    }

    /** The broad kind of failure (the command line's exit code). */
    public FailureCategory category() {
        return decision.category();
    }

    /** The last response's status, or 0 if the last attempt got no response. */
    public int lastStatus() {
        return decision.status();
    }

    /** Requests sent in the call. */
    public int requests() {
        return requests;
    }

    /** Retries among them. */
    public int retries() {
        return retries;
    }

    /** Time spent waiting between attempts, in milliseconds. */
    public long waitedMillis() {
        return waitedMillis;
    }

    /** The last response, when the call ended on one. */
    public Optional<HttpResponse<?>> response() {
        return Optional.ofNullable(response);
    }
}
