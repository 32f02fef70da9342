package io.statuspolicy.okhttp;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okio.AsyncTimeout;

/**
 * The call's deadline over one OkHttp call: when it passes, the call is cancelled, which makes
 * the read or write in progress fail at once and releases the connection. Armed on okio's own
 * watchdog thread (the one OkHttp's call timeouts use), so arming and disarming cost a queue
 * insert and removal and no thread of ours. A deadline that never passes is {@link #NONE}.
 */
class Deadline extends AsyncTimeout {
    /** No deadline: arming and disarming do nothing. */
    static final Deadline NONE = new Deadline(null);

    private final Call call;
    private final AtomicBoolean armed = new AtomicBoolean();
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
        deadline.timeout(Math.max(1, millis), TimeUnit.MILLISECONDS);
        deadline.armed.set(true);
        deadline.enter();
        return deadline;
    }

    /** Stops watching; safe to call more than once and from any thread. */
    void disarm() {
        if (call != null && armed.compareAndSet(true, false)) {
            exit();
        }
    }

    /** Whether the deadline passed (and the call was cancelled for it). */
    boolean passed() {
        return passed;
    }

    @Override
    protected void timedOut() {
        passed = true;
        armed.set(false);
        call.cancel();
    }
}
