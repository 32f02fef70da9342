package io.statuspolicy.decision;

import static io.statuspolicy.decision.FailureCategory.CREDENTIALS;
import static io.statuspolicy.decision.FailureCategory.EXHAUSTED;
import static io.statuspolicy.decision.FailureCategory.NOT_RETRIED;
import static io.statuspolicy.decision.FailureCategory.REDIRECT_REFUSED;
import static io.statuspolicy.decision.FailureCategory.TRANSPORT;

/** Why a call stops without the response the caller wanted; each reason has one category. */
public enum FailureReason {
    NOT_RETRYABLE(NOT_RETRIED, "not retried"),
    NOT_USED(NOT_RETRIED, "a status we do not use"),
    NOT_IDEMPOTENT(NOT_RETRIED, "not repeated: the method is not idempotent and the request has no "
            + "Idempotency-Key and is not marked retry-safe"),
    BODY_NOT_REPLAYABLE(NOT_RETRIED, "not repeated: the request body cannot be sent again"),
    NOT_AWAITED(NOT_RETRIED, "not retried: the caller does not await this resource"),
    NO_RETRY_AFTER(NOT_RETRIED, "not retried: the response has no valid Retry-After"),
    LENGTH_REQUIRED_AGAIN(NOT_RETRIED, "not resent: the request already had a Content-Length"),
    NOT_MODIFIED_WITHOUT_COPY(NOT_RETRIED, "no cached copy to answer it with"),
    NOT_MODIFIED_UNCONDITIONAL(NOT_RETRIED, "the request was not conditional, so a 304 makes no sense"),
    INVALID_STATUS(NOT_RETRIED, "the status is not a valid HTTP status"),

    ATTEMPTS_EXHAUSTED(EXHAUSTED, "gave up: every attempt used"),
    RULE_RETRIES_EXHAUSTED(EXHAUSTED, "gave up: the rule's retries are used"),
    RETRY_BUDGET_EXHAUSTED(EXHAUSTED, "gave up: the retry budget for this host is spent"),
    DEADLINE_EXCEEDED(EXHAUSTED, "gave up: the next attempt would start after the deadline"),
    RETRY_AFTER_BEYOND_CAP(EXHAUSTED, "gave up at once: Retry-After is longer than the cap"),
    RETRY_AFTER_BEYOND_DEADLINE(EXHAUSTED, "gave up at once: Retry-After is longer than the time left"),
    AWAIT_WINDOW_CLOSED(EXHAUSTED, "gave up: the resource did not appear within the await window"),
    /** Issue 11: a host hold (another call's {@code Retry-After}) lasts longer than the call's time left. */
    HOST_HELD(EXHAUSTED, "not sent: an earlier Retry-After holds the origin for longer than the time left"),
    /** Issue 11: the origin's circuit breaker is open. */
    CIRCUIT_OPEN(EXHAUSTED, "not sent: the circuit breaker for this origin is open after sustained failure"),

    TRANSPORT_NOT_RETRIED(TRANSPORT, "not retried"),
    TRANSPORT_NOT_REPEATABLE(TRANSPORT, "not repeated: the request may have reached the server and "
            + "is not idempotent"),
    TRANSPORT_RETRIES_EXHAUSTED(TRANSPORT, "gave up: every attempt used"),

    REDIRECT_WITHOUT_LOCATION(REDIRECT_REFUSED, "not followed: no Location header"),
    REDIRECT_AMBIGUOUS_LOCATION(REDIRECT_REFUSED, "not followed: several different Location values"),
    REDIRECT_BAD_LOCATION(REDIRECT_REFUSED, "not followed: the Location is not a usable target"),
    REDIRECT_TO_HTTP(REDIRECT_REFUSED, "not followed: HTTPS never redirects to plain HTTP"),
    REDIRECT_TO_INTERNAL_ADDRESS(REDIRECT_REFUSED, "not followed: a public address never redirects to a "
            + "loopback, link-local, private or unspecified address"),
    REDIRECT_UNSAFE_ACROSS_ORIGINS(REDIRECT_REFUSED, "not followed: an unsafe method is not redirected "
            + "to another origin"),
    REDIRECT_BODY_NOT_REPLAYABLE(REDIRECT_REFUSED, "not followed: the request body cannot be sent again"),
    REDIRECT_LOOP(REDIRECT_REFUSED, "not followed: the chain returns to a URI it already visited"),
    TOO_MANY_REDIRECTS(REDIRECT_REFUSED, "not followed: the redirect limit is reached"),

    CREDENTIALS_UNAVAILABLE(CREDENTIALS, "no credential source can supply fresh credentials"),
    CREDENTIALS_REFUSED_AGAIN(CREDENTIALS, "refused again after fresh credentials; not repeated"),
    CREDENTIALS_NOT_RENEWED(CREDENTIALS, "the credential source returned the credentials that were refused"),
    /**
     * A Bearer challenge says the token is not the problem (RFC 6750 §3.1: {@code insufficient_scope},
     * {@code invalid_request}), so a fresh token from the same source would be refused the same way.
     */
    CREDENTIALS_CANNOT_HELP(CREDENTIALS, "the server says fresh credentials would not help; not repeated"),
    CREDENTIALS_NOT_FOR_THIS_ORIGIN(CREDENTIALS, "the request was redirected to another origin, which "
            + "never gets the caller's credentials");

    private final FailureCategory category;
    private final String phrase;

    FailureReason(FailureCategory category, String phrase) {
        this.category = category;
        this.phrase = phrase;
    }

    public FailureCategory category() {
        return category;
    }

    /** A short English phrase for explanations. */
    public String phrase() {
        return phrase;
    }
}
