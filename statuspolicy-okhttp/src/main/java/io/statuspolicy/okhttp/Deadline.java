package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlineTimer;
import okhttp3.Call;

/**
 * The call's deadline over one OkHttp call: when it passes, the call is cancelled, which makes
 * the read or write in progress fail at once and releases the connection. Armed on the engine's
 * {@link DeadlineTimer} (an insert into a set, no thread woken), not on okio's
 * {@code AsyncTimeout}, which wakes its watchdog on nearly every arm. A deadline that never
 * passes is {@link #NONE}.
 */
final class Deadline {
    /** No deadline: arming and disarming do nothing. */
    static final Deadline NONE = new Deadline();

    private final DeadlineTimer.Entry entry;

    private Deadline() {
        this.entry = null;
    }

    private Deadline(Call call, long millis) {
        this.entry = DeadlineTimer.arm(millis, call::cancel);
    }

    /** A deadline that cancels {@code call} in {@code millis}, or {@link #NONE} when there is none. */
    static Deadline arm(Call call, long millis) {
        return millis == Long.MAX_VALUE ? NONE : new Deadline(call, millis);
    }

    /** Stops watching; safe to call more than once and from any thread. */
    void disarm() {
        if (entry != null) {
            entry.disarm();
        }
    }

    /** Whether the deadline passed (and the call was cancelled for it). */
    boolean passed() {
        return entry != null && entry.fired();
    }
}
