package io.statuspolicy.decision;

/** Why a retry waits as long as it does. */
public enum DelayBasis {
    /** The policy's exponential backoff with jitter. */
    BACKOFF("of backoff"),
    /** The response's {@code Retry-After}, which was longer than the backoff. */
    RETRY_AFTER("as Retry-After asks"),
    /** Backoff while awaiting a resource that is expected to appear (404). */
    AWAITING_RESOURCE("while awaiting the resource");

    private final String phrase;

    DelayBasis(String phrase) {
        this.phrase = phrase;
    }

    /** "as Retry-After asks", for explanations. */
    public String phrase() {
        return phrase;
    }
}
