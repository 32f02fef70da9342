package io.statuspolicy.decision;

import io.statuspolicy.http.Redaction;
import io.statuspolicy.http.RetryAfter;
import io.statuspolicy.policy.Rule;
import java.net.URI;
import java.util.Objects;

/**
 * What the client does next, as decided by {@link Decider}: a closed set of immutable records.
 * Every decision names the rule it applied and can {@link #explain()} itself in one line.
 * Executors switch over the permitted records; none of them re-implements a rule.
 */
public sealed interface Decision {

    /** The rule that was applied. */
    Rule rule();

    /** The response's status, or 0 when there was no response (a transport failure). */
    int status();

    /**
     * One line in English: the status, the rule and what happens, for example
     * "503 Service Unavailable: the guideline says retry (shall); attempt 2 of 4; waiting 1.2 s as
     * Retry-After asks". Secrets never appear in it.
     */
    String explain();

    /** Whether the call ends with this decision. */
    default boolean isFinal() {
        return this instanceof Complete || this instanceof Fail || this instanceof UseCachedCopy;
    }

    /** Return the response to the caller: the call is done. */
    record Complete(Rule rule, int status) implements Decision {
        public Complete {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, status, null) + ": " + rule.says();
        }
    }

    /**
     * Follow a redirect: send {@code method} to {@code target} (after {@code delayMillis}).
     *
     * @param target          the resolved absolute target, fragment included (never sent)
     * @param method          the method of the next request (303, and POST on 301/302, become GET)
     * @param keepBody        whether the next request carries the same body
     * @param permanent       301/308: the caller should use the target from now on
     * @param dropCredentials the next request goes without credentials or cookies
     * @param crossOrigin     the target is another origin than the request's
     * @param delayMillis     the wait before following ({@code Retry-After} on a 3xx), usually 0
     */
    record FollowRedirect(Rule rule, int status, URI target, String method, boolean keepBody, boolean permanent,
            boolean dropCredentials, boolean crossOrigin, long delayMillis) implements Decision {
        public FollowRedirect {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(method, "method");
        }

        @Override
        public String explain() {
            StringBuilder text = new StringBuilder(DecisionText.subject(rule, status, null)).append(": ").append(rule.says())
                    .append("; to ").append(method).append(' ').append(Redaction.uri(target));
            if (!keepBody) {
                text.append(" without a body");
            }
            if (dropCredentials) {
                text.append("; credentials and cookies dropped");
                text.append(crossOrigin ? " (another origin)" : " (earlier hop left the origin)");
            }
            if (delayMillis > 0) {
                text.append("; waiting ").append(DecisionText.duration(delayMillis)).append(" as Retry-After asks");
            }
            return text.toString();
        }
    }

    /** Answer a 304 with the stored copy, freshened with the 304's headers (RFC 9111 §4.3.4). */
    record UseCachedCopy(Rule rule, int status) implements Decision {
        public UseCachedCopy {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, status, null) + ": " + rule.says();
        }
    }

    /**
     * Send the same request again after {@code delayMillis}.
     *
     * @param failure     the transport failure retried, or null when a response is retried
     * @param delayMillis how long to wait first; never negative, never past the deadline
     * @param basis       why the wait is that long
     * @param attempt     the number of the attempt about to be made (2 for the first retry)
     * @param maxAttempts the attempt limit, or 0 when awaiting a resource (bounded by its window)
     * @param retryAfter  the parsed {@code Retry-After}, or null when there was no response
     */
    record Retry(Rule rule, int status, TransportFailure failure, long delayMillis, DelayBasis basis, int attempt,
            int maxAttempts, RetryAfter retryAfter) implements Decision {
        public Retry {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(basis, "basis");
            if (delayMillis < 0) {
                throw new IllegalArgumentException("a retry delay is never negative, was " + delayMillis);
            }
        }

        @Override
        public String explain() {
            StringBuilder text = new StringBuilder(DecisionText.subject(rule, status, failure)).append(": ")
                    .append(rule.says()).append("; attempt ").append(attempt);
            if (maxAttempts > 0) {
                text.append(" of ").append(maxAttempts);
            }
            text.append("; waiting ").append(DecisionText.duration(delayMillis)).append(' ').append(basis.phrase());
            if (retryAfter != null && retryAfter.kind() == RetryAfter.Kind.INVALID) {
                text.append("; ignored ").append(retryAfter.problem());
            }
            return text.toString();
        }
    }

    /** Ask the credential source for fresh credentials, then send the request once more. */
    record RefreshCredentials(Rule rule, int status, CredentialTarget target) implements Decision {
        public RefreshCredentials {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, status, null) + ": " + rule.says() + "; asking for fresh "
                    + (target == CredentialTarget.PROXY ? "proxy credentials" : "credentials");
        }
    }

    /** Send the request once more with its body's exact {@code Content-Length} (411). */
    record ResendWithContentLength(Rule rule, int status) implements Decision {
        public ResendWithContentLength {
            Objects.requireNonNull(rule, "rule");
        }

        @Override
        public String explain() {
            return DecisionText.subject(rule, status, null) + ": " + rule.says();
        }
    }

    /**
     * Stop. When there is a response ({@code status} > 0) the executor hands it to the caller
     * (statuses are data); a transport failure or an exhausted policy becomes an exception.
     *
     * @param reason  why, which also gives the {@link #category()}
     * @param detail  specifics (the attempt count, the refused Location, ...), or null
     * @param failure the transport failure, or null when there was a response
     */
    record Fail(Rule rule, int status, FailureReason reason, String detail, TransportFailure failure)
            implements Decision {
        public Fail {
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(reason, "reason");
        }

        public FailureCategory category() {
            return reason.category();
        }

        @Override
        public String explain() {
            if (reason == FailureReason.INVALID_STATUS) {
                // No row applies to a status outside 100-599, so no rule's grade is quoted: what
                // is said is what is done (returned as it came, never retried).
                return status + ": not a valid HTTP status (RFC 9110 §15: 100 to 599); no rule applies, "
                        + "so it is not retried and is returned as it came";
            }
            StringBuilder text = new StringBuilder(DecisionText.subject(rule, status, failure)).append(": ");
            if (reason == FailureReason.TRANSPORT_NOT_RETRIED && failure != null && !failure.kind().retryable()) {
                // The transport rule's "retry (shall)" does not apply to this kind: say why instead.
                text.append(switch (failure.kind()) {
                    case CANCELLED -> "not retried: the call was cancelled";
                    case TLS -> "not retried: repeating cannot fix a certificate, host name or protocol mismatch";
                    default -> "not retried: another attempt cannot help a " + failure.kind().phrase();
                });
            } else {
                text.append(rule.says()).append("; ").append(reason.phrase());
            }
            if (detail != null && !detail.isEmpty()) {
                text.append(" (").append(detail).append(')');
            }
            return text.toString();
        }
    }

}
