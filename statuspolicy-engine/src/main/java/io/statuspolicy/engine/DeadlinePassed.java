package io.statuspolicy.engine;

import java.io.InterruptedIOException;

/**
 * The call's deadline passed while an attempt was in flight: what an adapter throws (or fails a
 * body with) in place of its client's own "cancelled" or "closed", so the failure says what
 * happened and every adapter's classifier reads it as a response timeout.
 */
public final class DeadlinePassed extends InterruptedIOException {
    private static final long serialVersionUID = 1L;

    public DeadlinePassed(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
