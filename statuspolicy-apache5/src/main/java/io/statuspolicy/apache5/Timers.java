package io.statuspolicy.apache5;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One coarse timer for the adapter's real-time limits (the call's deadline over a response body,
 * the bound on a discarded body), shared by every client: arming one is an insertion into a
 * concurrent set, so the deadline every call carries costs next to nothing, and a single daemon
 * thread looks for expired entries every {@value #TICK_MILLIS} ms while there are any. A limit
 * fires at most one tick late. Expiry actions only close a connection; they never block.
 */
final class Timers {
    static final long TICK_MILLIS = 20;
    private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Set<Entry> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private Timers() {
    }

    /** Runs {@code action} in {@code millis} (real time) unless cancelled first; null for no limit. */
    static Entry after(long millis, Runnable action) {
        if (millis == Long.MAX_VALUE) {
            return null;
        }
        Entry entry = new Entry(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis)), action);
        ACTIVE.add(entry);
        if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
            Thread thread = new Thread(Timers::sweep, "statuspolicy-apache5-timer");
            thread.setDaemon(true);
            thread.start();
        }
        return entry;
    }

    /** Disarms it; harmless when it already fired, was cancelled, or is null. */
    static void cancel(Entry entry) {
        if (entry != null) {
            ACTIVE.remove(entry);
        }
    }

    private static void sweep() {
        long idleSince = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            if (ACTIVE.isEmpty()) {
                if (now - idleSince > IDLE_EXIT_NANOS) {
                    RUNNING.set(false);
                    // An entry armed just now may have seen RUNNING still true: take over again.
                    if (ACTIVE.isEmpty() || !RUNNING.compareAndSet(false, true)) {
                        return;
                    }
                }
                continue;
            }
            idleSince = now;
            for (Entry entry : ACTIVE) {
                if (entry.due - now <= 0 && ACTIVE.remove(entry)) {
                    try {
                        entry.action.run();
                    } catch (RuntimeException ignored) {
                        // an expiry must not stop the timer for every other call
                    }
                }
            }
        }
    }

    /** An armed limit. */
    static final class Entry {
        private final long due;
        private final Runnable action;
        private final int hash = ThreadLocalRandom.current().nextInt();

        private Entry(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }
    }
}
