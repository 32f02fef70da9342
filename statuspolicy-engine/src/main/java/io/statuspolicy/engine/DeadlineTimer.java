package io.statuspolicy.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * One coarse timer for call and body deadlines, shared by every client and adapter in the JVM
 * (an adapter arms one per attempt, so it sits on the happy path). The guarded
 * object is itself the timer entry (it extends {@link Entry}), so arming allocates nothing: it is
 * one push onto a lock-free stack picked by the arming thread (one of several, so threads on
 * different cores do not write the same cache line), and disarming is one volatile write. A
 * single daemon thread takes the stacks every {@value #TICK_MILLIS} ms while anything is armed,
 * drops the disarmed entries and runs the expired ones. A deadline is timed from the first tick
 * after it was armed (arming reads no clock) and fires at most one tick after it is due, so at
 * most two ticks ({@value #TICK_MILLIS} ms each) late,
 * which is fine for deadlines measured in seconds. The thread ends after a few idle seconds and
 * starts again when needed. While it runs it publishes the time of its last tick
 * ({@link #lastTickNanos}), which the engine's fast path reads instead of the clock for the start
 * of a call nobody listens to.
 *
 * <p>A disarmed entry stays referenced by the timer until its next tick (at most
 * {@value #TICK_MILLIS} ms), never longer.
 */
public final class DeadlineTimer {
    /** How often armed deadlines are checked: a deadline fires at most twice this late. */
    public static final long TICK_MILLIS = 20;
    private static final long IDLE_EXIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Stack heads, one per stripe, {@value #PAD} slots apart so that no two share a cache line. */
    private static final int PAD = 16;
    private static final int STRIPES = stripes();
    private static final AtomicReferenceArray<Entry> HEADS = new AtomicReferenceArray<>(STRIPES * PAD);
    private static final AtomicBoolean RUNNING = new AtomicBoolean();
    /** No tick to read: the timer is not running (see {@link #lastTickNanos}). */
    static final long NO_TICK = Long.MIN_VALUE;
    /**
     * {@link System#nanoTime()} at the timer's last tick while it runs, else {@link #NO_TICK}:
     * written by the timer thread only, before each sweep; {@code NO_TICK} before it stops.
     */
    private static volatile long lastTick = NO_TICK;
    /** Entries the timer took from the stacks and still watches; guarded by {@code DeadlineTimer.class}. */
    private static Entry watched;
    /** Every {@link Watch} made and not retired, checked on each tick; guarded by {@code DeadlineTimer.class}. */
    private static Watch[] watches = new Watch[0];
    private static int watchCount;

    private DeadlineTimer() {
    }

    private static int stripes() {
        int wanted = Math.min(64, 2 * Runtime.getRuntime().availableProcessors());
        return Integer.highestOneBit(Math.max(2, wanted - 1)) << 1;
    }

    /** How many deadlines are armed and neither disarmed nor fired (for tests). */
    public static int armed() {
        synchronized (DeadlineTimer.class) {
            int count = 0;
            for (Entry e = watched; e != null; e = e.watchedNext) {
                count += e.done ? 0 : 1;
            }
            for (int i = 0; i < STRIPES; i++) {
                for (Entry e = HEADS.get(i * PAD); e != null; e = e.stackNext) {
                    count += e.done ? 0 : 1;
                }
            }
            return count;
        }
    }

    private static void push(Entry entry) {
        long id = Thread.currentThread().getId();
        int slot = (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & (STRIPES - 1);
        int index = slot * PAD;
        Entry head;
        do {
            head = HEADS.get(index);
            entry.stackNext = head;
        } while (!HEADS.compareAndSet(index, head, entry));
        ensureRunning();
    }

    private static void ensureRunning() {
        if (!RUNNING.get() && RUNNING.compareAndSet(false, true)) {
            Thread thread = new Thread(DeadlineTimer::run, "statuspolicy-deadlines");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private static synchronized void register(Watch watch) {
        if (watchCount == watches.length) {
            watches = java.util.Arrays.copyOf(watches, Math.max(8, watchCount * 2));
        }
        watches[watchCount++] = watch;
    }

    /**
     * {@link System#nanoTime()} as the timer read it at its last tick, at most one tick
     * ({@value #TICK_MILLIS} ms) ago while the timer runs (later only when its thread is starved
     * of a processor, as in a stop-the-world pause), or {@link #NO_TICK} when it is not running.
     * One volatile read: a clock that costs almost nothing for readers that can take a tick's
     * staleness (the start of a call whose deadline counts from the tick after).
     */
    static long lastTickNanos() {
        return lastTick;
    }

    private static void run() {
        long idleSince = System.nanoTime();
        lastTick = idleSince;
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            lastTick = now;
            if (sweep(now)) {
                idleSince = now;
                continue;
            }
            if (now - idleSince > IDLE_EXIT_NANOS) {
                // Before RUNNING: a thread started after this one stops publishes its own ticks.
                lastTick = NO_TICK;
                RUNNING.set(false);
                // An entry armed just now may have seen RUNNING still true: take over again.
                if (!anyPushed() || !RUNNING.compareAndSet(false, true)) {
                    return;
                }
                lastTick = System.nanoTime();
            }
        }
    }

    private static boolean anyPushed() {
        for (int i = 0; i < STRIPES; i++) {
            if (HEADS.get(i * PAD) != null) {
                return true;
            }
        }
        synchronized (DeadlineTimer.class) {
            for (int i = 0; i < watchCount; i++) {
                if (watches[i].inUse()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** How many watches are registered (for tests: a retired one is dropped at the next tick). */
    public static int watches() {
        synchronized (DeadlineTimer.class) {
            return watchCount;
        }
    }

    /** One tick: takes what was armed since the last, fires what is due. Whether anything is watched. */
    private static boolean sweep(long now) {
        Entry due = null;
        boolean any;
        synchronized (DeadlineTimer.class) {
            for (int i = 0; i < STRIPES; i++) {
                int index = i * PAD;
                if (HEADS.get(index) == null) {
                    continue;
                }
                // Most entries were disarmed before this tick (a body read in microseconds): they
                // are dropped here, with one write (their stack link, which would otherwise keep
                // every entry pushed before them reachable from whatever still holds them: a
                // response a caller keeps), instead of being linked into the watched list and
                // unlinked again. Only the entries still armed are watched.
                Entry next;
                for (Entry e = HEADS.getAndSet(index, null); e != null; e = next) {
                    next = e.stackNext;
                    e.stackNext = null;
                    if (!e.done) {
                        e.due = now + e.delayNanos; // timed from this tick: see Entry#arm
                        e.watchedNext = watched;
                        watched = e;
                    }
                }
            }
            Entry kept = null;
            Entry next;
            for (Entry e = watched; e != null; e = next) {
                next = e.watchedNext;
                if (e.done) {
                    e.watchedNext = null;
                } else if (e.due - now <= 0) {
                    e.done = true;
                    e.watchedNext = due;
                    due = e;
                } else {
                    e.watchedNext = kept;
                    kept = e;
                }
            }
            watched = kept;
            any = kept != null || due != null;
            int live = 0;
            for (int i = 0; i < watchCount; i++) {
                Watch w = watches[i];
                int phase = w.tick(now);
                if (phase != Watch.RETIRED) {
                    watches[live++] = w;
                    any |= phase != Watch.FREE;
                }
            }
            java.util.Arrays.fill(watches, live, watchCount, null);
            watchCount = live;
        }
        for (Entry e = due; e != null; e = e.watchedNext) {
            try {
                e.expire();
            } catch (RuntimeException ignored) {
                // An expiry action must not stop the timer for everyone else.
            }
        }
        return any;
    }

    /**
     * A deadline that interrupts a thread, made once and used for call after call (an adapter
     * keeps a few in a pool): unlike an {@link Entry}, it stays registered with the timer, so
     * using it allocates nothing and pushes nothing. Taking it is one compare-and-set, arming one
     * ordered write, and ending it one compare-and-set (ending it and giving it back, one too:
     * {@link #endAndFree}). The timer looks at every watch on each
     * tick: an armed one is timed from the first tick that sees it armed (arming reads no clock)
     * and, once its time is up, interrupts the thread it was armed for, once. Each arming has a
     * number of its own, so a tick that saw an earlier arming can never interrupt a later one.
     *
     * <p>States: free, taken (by one thread, which alone writes its fields), armed, interrupting
     * (the timer is interrupting the thread), interrupted, and retired (never used again, dropped
     * by the next tick).
     */
    public abstract static class Watch extends LinePadding {
        static final int FREE = 0;
        static final int TAKEN = 1;
        static final int ARMED = 2;
        static final int INTERRUPTING = 3;
        static final int INTERRUPTED = 4;
        static final int RETIRED = 5;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Watch.class, "state", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        /** The arming's number times 8, plus the phase. */
        private volatile long state;
        // Written by the taker before the ordered write that arms; read by the timer after it read
        // the armed state (which orders the two).
        private long delayNanos;
        private Thread target;
        // The timer's own: which arming it saw last and when that one is due.
        private long seen = -1;
        private long due;

        protected Watch() {
            register(this);
        }

        private static int phase(long state) {
            return (int) (state & 7);
        }

        /** Takes the watch for a call on this thread; false when another call has it (or it is retired). */
        protected final boolean take() {
            long now = state;
            if (phase(now) != FREE || !STATE.compareAndSet(this, now, (now & ~7L) | TAKEN)) {
                return false;
            }
            ensureRunning(); // after the compare-and-set: a timer about to stop sees the watch taken
            return true;
        }

        /**
         * Arms the watch: unless {@link #end} comes first, {@code thread} is interrupted about
         * {@code delayMillis} from now. The caller has taken the watch and not armed it since.
         */
        protected final void arm(Thread thread, long delayMillis) {
            target = thread;
            delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
            long now = state;
            STATE.setRelease(this, ((now & ~7L) + 8) | ARMED);
        }

        /**
         * Names the call's thread without arming a deadline (a call that has none), for
         * {@link #boundThread}. The caller has taken the watch and not armed it since.
         */
        protected final void bind(Thread thread) {
            target = thread;
        }

        /** The thread {@link #arm} or {@link #bind} named, until the arming ends ({@link #end}); on another thread, as its writes were published. */
        protected final Thread boundThread() {
            return target;
        }

        /**
         * Ends the arming (the watch stays taken): disarms it, or, when the timer interrupted the
         * thread (or is doing so), waits for that interrupt to land and clears it. Whether the
         * deadline interrupted. Called on the thread it was armed for; harmless when not armed.
         */
        protected final boolean end() {
            return endInto(TAKEN);
        }

        /**
         * {@link #end} and {@link #free} in one: ends the arming and gives the watch back with
         * one compare-and-set instead of two, for a taker that reads none of its own fields
         * afterwards (another call may have taken the watch the moment this returns). Whether
         * the deadline interrupted (that interrupt is cleared). Called on the thread it was
         * armed for; harmless when not armed.
         */
        protected final boolean endAndFree() {
            return endInto(FREE);
        }

        /** Ends the arming and leaves the watch in {@code phase} (taken or free); whether the deadline interrupted. */
        private boolean endInto(int phase) {
            // First: once free, the next taker writes its own; a tick that finds the watch armed
            // without a target backs off, so the compare-and-set below wins.
            target = null;
            while (true) {
                long now = state;
                int seen = phase(now);
                if (seen == TAKEN) { // not armed: only its taker writes it now
                    if (phase != TAKEN) {
                        STATE.setRelease(this, (now & ~7L) | phase);
                    }
                    return false;
                }
                if (seen == ARMED) {
                    if (STATE.compareAndSet(this, now, (now & ~7L) | phase)) {
                        return false;
                    }
                } else if (seen == INTERRUPTING) {
                    Thread.onSpinWait(); // the timer is interrupting the thread, or finds no target and backs off
                } else {
                    STATE.setVolatile(this, (now & ~7L) | phase);
                    Thread.interrupted(); // the timer's interrupt, not the caller's: cleared
                    return true;
                }
            }
        }

        /** Gives the watch back for the next call (after {@link #end}). */
        protected final void free() {
            STATE.setRelease(this, (state & ~7L) | FREE);
        }

        /** Never uses the watch again (after {@link #end}): for a call that may still be touched late. */
        protected final void retire() {
            STATE.setVolatile(this, (state & ~7L) | RETIRED);
        }

        /** Whether it was retired. */
        final boolean retired() {
            return phase(state) == RETIRED;
        }

        /** Whether a call has it (taken, armed, or being interrupted). */
        final boolean inUse() {
            int phase = phase(state);
            return phase != FREE && phase != RETIRED;
        }

        /** One tick of the timer's (under its monitor): interrupts when due. The phase seen. */
        final int tick(long now) {
            long seenState = state;
            int phase = phase(seenState);
            if (phase != ARMED) {
                return phase;
            }
            long arming = seenState >>> 3;
            if (arming != seen) {
                seen = arming;
                due = now + delayNanos;
                return phase;
            }
            if (due - now > 0 || !STATE.compareAndSet(this, seenState, (seenState & ~7L) | INTERRUPTING)) {
                return phase;
            }
            Thread thread = target;
            if (thread == null) {
                // Its taker is ending it (endInto): armed again, for that compare-and-set to win.
                STATE.setVolatile(this, seenState);
                return ARMED;
            }
            thread.interrupt();
            STATE.setVolatile(this, (seenState & ~7L) | INTERRUPTED);
            return INTERRUPTED;
        }
    }

    /**
     * A cache line's worth of fields that nothing reads or writes, laid out before a
     * {@link Watch}'s own (a superclass's fields come first): watches of different threads are
     * often made one after the other and sit side by side in memory, and each call writes its
     * watch's state with a compare-and-set; without the gap, two threads' calls invalidated each
     * other's cache line on every call (A0 with 2 threads: the added time was seven times one
     * thread's). The int takes the four bytes after a compressed object header, which the JVM
     * would otherwise fill with a subclass's field (an adapter's phase, written on every call)
     * right after the previous object's tail.
     */
    abstract static class LinePadding {
        int gap;
        long p0;
        long p1;
        long p2;
        long p3;
        long p4;
        long p5;
        long p6;
        long p7;
    }

    /**
     * Something with a deadline: armed once with {@link #arm}, disarmed with {@link #disarm}; when
     * the deadline passes first, the timer thread calls {@link #expire} once.
     */
    public abstract static class Entry {
        private static final VarHandle DONE;

        static {
            try {
                DONE = MethodHandles.lookup().findVarHandle(Entry.class, "done", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private long delayNanos;
        private long due;
        private Entry stackNext;
        private Entry watchedNext;
        private volatile boolean done;

        /**
         * Arms the deadline, {@code delayMillis} from now (real time). Once per entry. The delay is
         * timed from the timer's first tick after this call (at most {@value #TICK_MILLIS} ms
         * later), so arming reads no clock: a clock read is the largest part of arming, and
         * most entries are disarmed before that tick anyway.
         */
        public final void arm(long delayMillis) {
            delayNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, delayMillis));
            push(this);
        }

        /** Disarms it; harmless when it already fired, was disarmed or was never armed. */
        public final void disarm() {
            if (!done) {
                DONE.setRelease(this, true);
            }
        }

        /** Called by the timer thread, once, when the deadline passed before {@link #disarm}. */
        protected abstract void expire();
    }
}
