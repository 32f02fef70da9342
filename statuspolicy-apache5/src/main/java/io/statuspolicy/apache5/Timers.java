package io.statuspolicy.apache5;

import io.statuspolicy.engine.DeadlineTimer;

/**
 * The adapter's real-time limits (the call's deadline over a response body, the bound on a
 * discarded body) on the engine's shared {@link DeadlineTimer}: arming is a push onto a
 * lock-free stack, so the deadline every call carries costs next to nothing; a limit fires at
 * most two ticks ({@value DeadlineTimer#TICK_MILLIS} ms each) late: it is timed from the timer's
 * first tick after arming. Expiry actions only close a connection; they never block.
 */
final class Timers {
    private Timers() {
    }

    /** Runs {@code action} in {@code millis} (real time) unless cancelled first; null for no limit. */
    static Entry after(long millis, Runnable action) {
        if (millis == Long.MAX_VALUE) {
            return null;
        }
        Entry entry = new Entry(action);
        entry.arm(millis);
        return entry;
    }

    /** Disarms it; harmless when it already fired, was cancelled, or is null. */
    static void cancel(Entry entry) {
        if (entry != null) {
            entry.disarm();
        }
    }

    /** An armed limit. */
    static final class Entry extends DeadlineTimer.Entry {
        private final Runnable action;

        private Entry(Runnable action) {
            this.action = action;
        }

        @Override
        protected void expire() {
            action.run();
        }
    }
}
