package io.statuspolicy.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A coarse timer for call deadlines that an adapter arms on every attempt: arming is an insert
 * into a concurrent set and disarming a removal, with no thread woken, so the happy path pays
 * tens of nanoseconds for it (a timer that signals its thread on every arm, such as okio's
 * {@code AsyncTimeout} with an empty queue, costs about a microsecond of wake-up per call). One
 * daemon thread, {@code statuspolicy-deadlines}, looks for expired entries every
 * {@value #TICK_MILLIS} ms while any are armed, and ends after a few idle seconds; a deadline
 * fires at most one tick late, which suits deadlines measured in seconds. Shared by every client
 * in the JVM; thread-safe.
 */
public final class DeadlineTimer {
    /** How often armed deadlines are checked. */
    public static final long TICK_MILLIS = 20;
    private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final Set<Entry> ARMED = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean SWEEPING = new AtomicBoolean();

    private DeadlineTimer() {
    }

    /**
     * Runs {@code onExpiry} on the timer's thread once {@code delayMillis} of real time have
     * passed, unless the entry is disarmed first. {@code onExpiry} must be quick and must not
     * block (cancel a call, fail a future).
     */
    public static Entry arm(long delayMillis, Runnable onExpiry) {
        Entry entry = new Entry(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis)), onExpiry);
        ARMED.add(entry);
        if (!SWEEPING.get() && SWEEPING.compareAndSet(false, true)) {
            Thread sweeper = new Thread(DeadlineTimer::sweep, "statuspolicy-deadlines");
            sweeper.setDaemon(true);
            sweeper.start();
        }
        return entry;
    }

    /** How many deadlines are armed now (for tests). */
    public static int armed() {
        return ARMED.size();
    }

    private static void sweep() {
        long idleSince = System.nanoTime();
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            if (ARMED.isEmpty()) {
                if (now - idleSince > IDLE_EXIT_NANOS) {
                    SWEEPING.set(false);
                    // An arm that saw SWEEPING still true started no thread: carry on for it.
                    if (ARMED.isEmpty() || !SWEEPING.compareAndSet(false, true)) {
                        return;
                    }
                }
                continue;
            }
            idleSince = now;
            for (Entry entry : ARMED) {
                if (entry.due - now <= 0 && ARMED.remove(entry)) {
                    entry.fire();
                }
            }
        }
    }

    /** One armed deadline. */
    public static final class Entry {
        private final long due;
        private final Runnable onExpiry;
        /** Its own hash: an identity hash costs a noticeable share of a call when first computed. */
        private final int hash = ThreadLocalRandom.current().nextInt();
        private volatile boolean fired;

        private Entry(long due, Runnable onExpiry) {
            this.due = due;
            this.onExpiry = onExpiry;
        }

        private void fire() {
            fired = true;
            try {
                onExpiry.run();
            } catch (RuntimeException ignored) {
                // one failing expiry must not stop the timer for every other call
            }
        }

        /** Stops it; harmless after it fired or was disarmed. */
        public void disarm() {
            ARMED.remove(this);
        }

        /** Whether it fired (its deadline passed before it was disarmed). */
        public boolean fired() {
            return fired;
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
