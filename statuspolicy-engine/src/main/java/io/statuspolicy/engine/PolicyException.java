package io.statuspolicy.engine;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureCategory;
import java.io.IOException;
import java.util.List;
import java.util.Map;
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
 * available from {@link #response()}: its status, its header fields and at most the first
 * {@value #KEPT_BODY_LIMIT} bytes of its body, already read, so the exception holds no
 * connection.
 *
 * <p>Immutable, and so safe to share between threads.
 */
public final class PolicyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Decision.Fail decision;
    private final int requests;
    private final int retries;
    private final long waitedMillis;
    /** At most this much of the last response's body is kept. */
    public static final int KEPT_BODY_LIMIT = 64 * 1024;

    private final transient LastResponse response;

    /**
     * For engines and adapters: the exception for a call that ended with {@code decision}.
     *
     * @param response the last response, read and bounded, or null when the last attempt got none
     * @param cause    the last transport failure, or null
     */
    public PolicyException(Decision.Fail decision, int requests, int retries, long waitedMillis,
            LastResponse response, Throwable cause) {
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

    /** The last response, when the call ended on one: status, header fields and the start of its body. */
    public Optional<LastResponse> response() {
        return Optional.ofNullable(response);
    }

    /**
     * The last response of a call that failed: already read, bounded, holding no connection.
     *
     * @param status    its status
     * @param headers   its header fields
     * @param body      at most {@link #KEPT_BODY_LIMIT} bytes of its body
     * @param truncated whether the body was longer than that (or broke, or took too long to read)
     */
    public record LastResponse(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {
        public LastResponse {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        /** The body as UTF-8 text (for messages and logs). */
        public String bodyText() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "LastResponse[" + status + ", " + body.length + (truncated ? "+" : "") + " bytes]";
        }
    }
}
