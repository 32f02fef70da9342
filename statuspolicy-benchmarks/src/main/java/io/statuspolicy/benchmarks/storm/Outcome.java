package io.statuspolicy.benchmarks.storm;

/**
 * What one attempt came to, as its client sees it.
 *
 * @param status            the response status, or 0 when the attempt timed out
 * @param retryAfterSeconds the response's {@code Retry-After} in seconds, or 0 for none
 */
public record Outcome(int status, int retryAfterSeconds) {
    static final Outcome TIMED_OUT = new Outcome(0, 0);

    public boolean timedOut() {
        return status == 0;
    }

    public boolean success() {
        return status >= 200 && status < 300;
    }

    /** The predicate every non-policy strategy uses: timeouts, 429 and 503. */
    public boolean retryable() {
        return timedOut() || status == 429 || status == 503;
    }
}
