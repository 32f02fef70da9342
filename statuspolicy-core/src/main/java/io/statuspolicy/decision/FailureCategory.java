package io.statuspolicy.decision;

/**
 * The broad kind of a failure, for callers that branch on it. The command line's exit codes
 * are these categories, so their numbers are a contract.
 */
public enum FailureCategory {
    /** The final response is an error the policy does not retry. */
    NOT_RETRIED(3),
    /** Retrying stopped: attempts, budget, deadline, Retry-After too long, await window closed. */
    EXHAUSTED(4),
    /** No response, and the failure was not recovered. */
    TRANSPORT(5),
    /** A redirect was refused: no or bad Location, a loop, too many, a downgrade, an internal target. */
    REDIRECT_REFUSED(6),
    /** Credentials are missing, or were refused again after a refresh. */
    CREDENTIALS(7);

    private final int exitCode;

    FailureCategory(int exitCode) {
        this.exitCode = exitCode;
    }

    /** The command line's exit code for this category. */
    public int exitCode() {
        return exitCode;
    }
}
