package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlineTimer;
import okhttp3.Call;

/**
 * The call's deadline over one OkHttp call: when it passes, the call is cancelled, which makes
 * the read or write in progress fail at once and releases the connection. Armed on the engine's
 * {@link DeadlineTimer} (a push onto a lock-free stack, no thread woken), not on okio's
 * {@code AsyncTimeout}, which wakes its watchdog thread on nearly every arm. A deadline that
 * never passes is {@link #NONE}.
 */
class Deadline extends DeadlineTimer.Entry {
    /** No deadline: disarming does nothing, and it never passes. */
    static final Deadline NONE = new Deadline(null);

    private final Call call;
    private volatile boolean passed;

    private Deadline(Call call) {
        this.call = call;
    }

    /** A deadline that cancels {@code call} in {@code millis}, or {@link #NONE} when there is none. */
    static Deadline arm(Call call, long millis) {
        if (millis == Long.MAX_VALUE) {
            return NONE;
        }
        Deadline deadline = new Deadline(call);
        deadline.arm(millis);
        return deadline;
    }

    /** Whether the deadline passed (and the call was cancelled for it). */
    boolean passed() {
        return passed;
    }

    @Override
    protected void expire() {
        passed = true;
        call.cancel();
    }
}
