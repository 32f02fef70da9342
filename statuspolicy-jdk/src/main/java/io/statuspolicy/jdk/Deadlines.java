package io.statuspolicy.jdk;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One coarse timer for the deadlines of response bodies, shared by every client: arming one is
 * an insertion into a concurrent set (no thread is signalled), and a single daemon thread looks
 * for expired entries every {@value #TICK_MILLIS} ms while there are any. A deadline fires at
 * most one tick late, which is fine for deadlines measured in seconds. The thread ends after a
 * few idle seconds and starts again when needed.
 */
final class Deadlines {
    static final long TICK_MILLIS = 20;
    private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Set<Entry> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean RUNNING = new AtomicBoolean();

    private Deadlines() {
    }

    /** Runs {@code onExpiry} in {@code delayMillis} (real time) unless the entry is cancelled first. */
    static Entry arm(long delayMillis, Runnable onExpiry) {
        Entry entry = new Entry(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), onExpiry);
        ACTIVE.add(entry);
        if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
            Thread thread = new Thread(Deadlines::sweep, "statuspolicy-deadlines");
            thread.setDaemon(true);
            thread.start();
        }
        return entry;
    }

    /** How many deadlines are armed (for tests). */
    static int armed() {
        return ACTIVE.size();
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
                        entry.onExpiry.run();
                    } catch (RuntimeException ignored) {
                        // An expiry action must not stop the timer for everyone else.
                    }
                }
            }
        }
    }

    /** An armed deadline. */
    static final class Entry {
        private final long due;
        private final Runnable onExpiry;
        /** A hash of its own: the identity hash, computed on first use, cost a tenth of a call. */
        private final int hash;

        private Entry(long due, Runnable onExpiry) {
            this.due = due;
            this.onExpiry = onExpiry;
            this.hash = java.util.concurrent.ThreadLocalRandom.current().nextInt();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return this == other;
        }

        /** Disarms it; harmless when it already fired or was cancelled. */
        void cancel() {
            ACTIVE.remove(this);
        }
    }
}
