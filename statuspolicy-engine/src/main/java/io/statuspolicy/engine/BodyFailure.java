package io.statuspolicy.engine;

import java.io.IOException;

/**
 * The response body broke after its head was decided: a reset, a truncated body, the call's
 * deadline. An adapter's {@link Exchange#deliver} completes with it so the engine knows whether
 * the caller saw any of the body: when it did not (a buffering handler, such as a string or a
 * byte array, had not completed), the break is a transport failure of that attempt and an
 * idempotent request is tried again; when it did (a stream already handed over), the call fails
 * without another attempt.
 */
public final class BodyFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean callerSawBody;

    public BodyFailure(Throwable cause, boolean callerSawBody) {
        super(cause == null ? "the response body broke" : cause.getMessage(), cause);
        this.callerSawBody = callerSawBody;
    }

    /** Whether any of the body reached the caller before it broke. */
    public boolean callerSawBody() {
        return callerSawBody;
    }
}
