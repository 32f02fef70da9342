package io.statuspolicy.apache5;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread for the adapter's real-time limits: the call's deadline over a response body,
 * and the bound on a discarded body. Expiry actions only close a connection; they never block.
 */
final class Timers {
    private static final ScheduledThreadPoolExecutor TIMER = make();

    private Timers() {
    }

    /** Runs {@code action} in {@code millis} unless the returned future is cancelled first; null for no limit. */
    static Future<?> after(long millis, Runnable action) {
        if (millis == Long.MAX_VALUE) {
            return null;
        }
        return TIMER.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException ignored) {
                // an expiry must not stop the timer for every other call
            }
        }, Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    static void cancel(Future<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static ScheduledThreadPoolExecutor make() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "statuspolicy-apache5-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
