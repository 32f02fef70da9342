package io.statuspolicy.engine;

import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.net.URI;

/**
 * The call's deadline over a response body that an adapter hands on as a stream: when it passes,
 * {@code onExpiry} stops the body (closes the stream, releases the response), so the read in
 * progress fails at once; {@link #explained} then turns that failure into a
 * {@link DeadlinePassed}. Armed on the shared {@link DeadlineTimer}.
 */
public final class BodyDeadline extends DeadlineTimer.Entry {
    /** No deadline: it never passes, and disarming it does nothing. */
    public static final BodyDeadline NONE = new BodyDeadline(() -> { });

    private final Runnable onExpiry;
    private volatile boolean passed;

    private BodyDeadline(Runnable onExpiry) {
        this.onExpiry = onExpiry;
    }

    /** A deadline that runs {@code onExpiry} in {@code millis}, or {@link #NONE} when there is none. */
    public static BodyDeadline arm(long millis, Runnable onExpiry) {
        if (millis == Long.MAX_VALUE) {
            return NONE;
        }
        BodyDeadline deadline = new BodyDeadline(onExpiry);
        deadline.arm(millis);
        return deadline;
    }

    /** Whether the deadline passed. */
    public boolean passed() {
        return passed;
    }

    @Override
    protected void expire() {
        passed = true;
        onExpiry.run();
    }

    /** {@code error} as it is, or, when the deadline passed, a {@link DeadlinePassed} that says so. */
    public IOException explained(IOException error, URI uri) {
        if (!passed) {
            return error;
        }
        return new DeadlinePassed("the call's deadline passed while reading the response body of "
                + Redaction.uri(uri), error);
    }
}
