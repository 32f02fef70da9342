package io.statuspolicy.budget;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The retry budget over a sliding window. Banked (credit above 0, the default): per key, each
 * success deposits {@code ratio} of a retry into a bank that holds at most
 * {@code credit × requests in the window}, and at least one retry's worth; a new key starts with
 * {@code minRetries}, which it keeps for its first window; a retry is allowed when the bank
 * holds a whole one, and spends it. Plain (credit 0): retries in
 * the window may be at most {@code minRetries + ratio × requests in the window}. Keys are the
 * caller's choice (see {@link RetryBudget}) and are compared without regard to case.
 *
 * <p>Why a bank (issue 11): a one-second blip needs about as many retries at once as a sliding
 * window of 10 % allows over ten seconds, while a full outage must stay near 1.1× the traffic.
 * A bank saved from successful traffic gives the blip what it needs, and gives a full outage (no
 * success, so no deposit) only what was saved, capped in proportion to the recent request rate.
 *
 * <p>The window is kept as ten buckets per key, so it slides in steps of a tenth of its
 * length.
 *
 * <p>Memory: keys idle for longer than the window are forgotten by a sweep, which runs when a
 * new key arrives and the table holds more than {@code sweepAt} keys. After each sweep
 * {@code sweepAt} becomes twice the number of keys left (at least {@value #SWEEP_THRESHOLD}),
 * so a sweep of n keys follows at least n/2 new keys: each new key costs amortised O(1), even
 * when many keys are live, and the table holds at most about twice the keys used within one
 * window (or {@value #SWEEP_THRESHOLD}). Recording to a known key never sweeps or allocates.
 *
 * <p>Thread-safe without lost counts: a sweep retires a window under the window's own monitor,
 * and only when the window is idle at that moment; a thread that finds its window retired
 * removes it and records into a fresh one. A count is therefore never written to a window that
 * has left the table. One sweep runs at a time; other threads go on recording meanwhile.
 */
final class WindowedRetryBudget implements RetryBudget {
    static final int BUCKETS = 10;
    static final int SWEEP_THRESHOLD = 1024;

    private final RetryBudgetSettings settings;
    private final boolean banked;
    /** A retry, in the bank's unit (thousandths of a retry). */
    private static final long UNIT = 1000;
    private final long depositUnits;
    private final long floorUnits;
    private final long windowMillis;
    private final long bucketMillis;
    private final int sweepThreshold;
    private final ConcurrentHashMap<String, KeyWindow> windows = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    /** The origins recorded lately, by host hash (see {@link #recordRequest(java.net.URI, long)}). */
    private final Recent[] recent = new Recent[RECENT];
    private static final int RECENT = 16;
    /** The table size above which a new key starts a sweep. */
    private volatile int sweepAt;
    /** Sweeps run so far, for tests; written only by the sweeping thread. */
    private volatile int sweeps;

    WindowedRetryBudget(RetryBudgetSettings settings) {
        this(settings, SWEEP_THRESHOLD);
    }

    /** With a smaller sweep threshold, for tests that want sweeps to happen often. */
    WindowedRetryBudget(RetryBudgetSettings settings, int sweepThreshold) {
        this.settings = settings;
        this.banked = settings.banked();
        this.depositUnits = Math.round(settings.ratio() * UNIT);
        this.floorUnits = settings.minRetries() * UNIT;
        this.windowMillis = settings.window().toMillis();
        this.bucketMillis = Math.max(1, windowMillis / BUCKETS);
        this.sweepThreshold = sweepThreshold;
        this.sweepAt = sweepThreshold;
    }

    @Override
    public boolean allowsRetry(String key, long nowMillis) {
        KeyWindow window = windows.get(normalise(key));
        if (window == null) {
            return settings.minRetries() >= 1;
        }
        // A window retired meanwhile is idle: its answer is the same as for an absent key.
        return window.allows(nowMillis);
    }

    @Override
    public java.util.Map<String, Usage> usage(long nowMillis, int limit) {
        java.util.Map<String, Usage> result = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, KeyWindow> entry : windows.entrySet()) {
            if (result.size() >= limit) {
                break;
            }
            result.put(entry.getKey(), usageOf(entry.getValue(), nowMillis));
        }
        return java.util.Collections.unmodifiableMap(result);
    }

    @Override
    public Usage usage(String key, long nowMillis) {
        KeyWindow window = windows.get(normalise(key));
        return window == null ? null : usageOf(window, nowMillis);
    }

    private Usage usageOf(KeyWindow window, long nowMillis) {
        long[] counts = window.counts(nowMillis);
        double available = banked
                ? Math.max(0, Math.min(window.bank(nowMillis), window.cap(nowMillis))) / (double) UNIT
                : Math.max(0, settings.minRetries() + settings.ratio() * counts[0] - counts[1]);
        return new Usage(counts[0], counts[1], available);
    }

    @Override
    public void recordRequest(String key, long nowMillis) {
        record(normalise(key), nowMillis, 1, 0);
    }

    /**
     * Without making a key for an origin seen lately: a small table of the last origins used, by
     * the host's hash, says which window the URI's scheme, host and port record into (the key is
     * a function of those three). A window retired since is looked up again.
     */
    @Override
    public void recordRequest(java.net.URI uri, long nowMillis) {
        String host = uri.getHost();
        String scheme = uri.getScheme();
        int port = uri.getPort();
        int slot = host == null ? 0 : host.hashCode() & (RECENT - 1);
        Recent known = recent[slot];
        if (known != null && known.port == port && known.host.equals(host) && known.scheme.equals(scheme)
                && known.window.add(nowMillis, 1, 0)) {
            return;
        }
        String key = normalise(RetryBudget.keyOf(uri));
        KeyWindow window = record(key, nowMillis, 1, 0);
        if (host != null && scheme != null) {
            recent[slot] = new Recent(scheme, host, port, window); // a racy write of an immutable value
        }
    }

    @Override
    public void recordRetry(String key, long nowMillis) {
        KeyWindow window = record(normalise(key), nowMillis, 0, 1);
        if (banked) {
            window.spend(nowMillis);
        }
    }

    @Override
    public void recordSuccess(String key, int retries, long nowMillis) {
        if (banked) {
            KeyWindow window = windows.get(normalise(key));
            if (window != null) {
                window.deposit(nowMillis, retries);
            }
        }
    }

    /** As {@link #recordRequest(java.net.URI, long)}: the window of an origin used lately is found without a key. */
    @Override
    public void recordSuccess(java.net.URI uri, int retries, long nowMillis) {
        if (!banked) {
            return;
        }
        String host = uri.getHost();
        int slot = host == null ? 0 : host.hashCode() & (RECENT - 1);
        Recent known = recent[slot];
        if (known != null && known.port == uri.getPort() && known.host.equals(host)
                && known.scheme.equals(uri.getScheme())) {
            known.window.deposit(nowMillis, retries);
            return;
        }
        recordSuccess(RetryBudget.keyOf(uri), retries, nowMillis);
    }

    /** Records into the key's window and returns it. */
    private KeyWindow record(String key, long nowMillis, int newRequests, int newRetries) {
        while (true) {
            KeyWindow window = windows.get(key); // the common case: no size check, no allocation
            if (window == null) {
                if (windows.size() > sweepAt) {
                    sweep(nowMillis);
                }
                window = windows.computeIfAbsent(key, ignored -> new KeyWindow());
            }
            if (window.add(nowMillis, newRequests, newRetries)) {
                return window;
            }
            // A sweep retired it after we looked it up: take it out (if the sweep has not yet)
            // and record into a fresh window.
            windows.remove(key, window);
        }
    }

    /** Forgets the windows idle at {@code nowMillis}; skipped when another thread is sweeping. */
    private void sweep(long nowMillis) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Map.Entry<String, KeyWindow> entry : windows.entrySet()) {
                KeyWindow window = entry.getValue();
                if (window.retireIfIdle(nowMillis)) {
                    windows.remove(entry.getKey(), window);
                }
            }
            sweepAt = (int) Math.max(sweepThreshold, Math.min(Integer.MAX_VALUE, 2L * windows.size()));
            sweeps++;
        } finally {
            sweeping.set(false);
        }
    }

    /** For tests: the requests and retries of {@code key} in the window at {@code nowMillis}. */
    long[] countsInWindow(String key, long nowMillis) {
        KeyWindow window = windows.get(normalise(key));
        return window == null ? new long[2] : window.counts(nowMillis);
    }

    /** For tests: the bank of {@code key}, in retries (banked mode), or NaN when the key has no window. */
    double banked(String key) {
        KeyWindow window = windows.get(normalise(key));
        if (window == null) {
            return Double.NaN;
        }
        window.drain(window.capUnits);
        return window.bank.get() / (double) UNIT;
    }

    /** For tests: how many sweeps have run. */
    int sweepsRun() {
        return sweeps;
    }

    /** For tests: how many keys the table holds. */
    int keys() {
        return windows.size();
    }

    /** An origin, as a URI spells it, and the window its key records into. */
    private record Recent(String scheme, String host, int port, KeyWindow window) {
    }

    private static String normalise(String key) {
        return key == null ? "" : key.toLowerCase(Locale.ROOT);
    }

    /**
     * A key's window: ten buckets of (requests, retries), kept in a few stripes so that threads on
     * different cores record into cache lines of their own (a thread always uses the stripe its
     * id picks; reads add the stripes up). Each stripe is guarded by its own monitor, taken by
     * one thread at a time in the common case. A sweep retires the window holding every
     * stripe's monitor at once, so no record is ever half-way through a retired window.
     */
    private final class KeyWindow {
        private final Stripe[] stripes = new Stripe[STRIPES];
        /** The bank, in thousandths of a retry (banked mode); may dip below 0 by racing retries. */
        private final java.util.concurrent.atomic.AtomicLong bank = new java.util.concurrent.atomic.AtomicLong(
                floorUnits);
        /**
         * Deposits not yet in the bank, one slot per stripe, each on a cache line of its own
         * ({@value #PAD} longs apart): a success adds to its thread's slot, so that threads on
         * different cores never write one line on every call (the bank itself did: with two
         * threads each success's compare-and-set took the line from the other core). The slots
         * are moved into the bank, up to the cap, whenever the bank is read (a retry asked for
         * or spent, its usage) and when the bucket turns, before the cap changes; within one
         * bucket the cap is fixed, so the bank is what adding each deposit at once would give.
         */
        private final java.util.concurrent.atomic.AtomicLongArray pending =
                new java.util.concurrent.atomic.AtomicLongArray(STRIPES * PAD);
        /** The bank's cap, recomputed once per bucket from the requests in the window. */
        private volatile long capUnits = floorUnits;
        private volatile long capSlot = Long.MIN_VALUE;
        /** When the key was first used: its starting credit ({@code minRetries}) lasts one window. */
        private volatile long bornMillis = Long.MIN_VALUE;

        KeyWindow() {
            for (int i = 0; i < STRIPES; i++) {
                stripes[i] = new Stripe();
            }
        }

        /** Adds the counts, or returns false when a sweep has retired this window. */
        boolean add(long nowMillis, int newRequests, int newRetries) {
            Stripe stripe = stripes[stripeOfThisThread()];
            synchronized (stripe) {
                if (stripe.retired) {
                    return false;
                }
                int index = bucket(nowMillis);
                if (index >= 0) {
                    stripe.requests[index] += newRequests;
                    stripe.retries[index] += newRetries;
                }
                stripe.lastUse = Math.max(stripe.lastUse, nowMillis);
                return true;
            }
        }

        /** The most the bank holds now: {@code max(minRetries, credit × requests in the window)}. */
        long cap(long nowMillis) {
            long known = capSlot;
            long from = known * bucketMillis;
            if (known != Long.MIN_VALUE && nowMillis >= from && nowMillis - from < bucketMillis) {
                return capUnits; // the common case: the same bucket as last time, no division
            }
            long slot = Math.floorDiv(nowMillis, bucketMillis);
            if (slot != known) {
                drain(capUnits); // the deposits of the bucket that ends, under its cap
                if (bornMillis == Long.MIN_VALUE) {
                    bornMillis = nowMillis;
                }
                long requests = counts(nowMillis)[0];
                // The starting credit lasts the key's first window (a command-line run, a job that
                // just started); after it, at least one retry may be saved up, never more per
                // client than its traffic earns: so many quiet clients do not add up to a storm.
                long floor = nowMillis - bornMillis < windowMillis ? floorUnits : Math.min(UNIT, floorUnits);
                capUnits = Math.max(floor, Math.round(settings.credit() * requests * UNIT));
                capSlot = slot;
            }
            return capUnits;
        }

        /** A success after {@code retries} retries: {@code ratio} of a retry more, and its retries back, up to the cap. */
        void deposit(long nowMillis, int retries) {
            long cap = cap(nowMillis);
            if (bank.get() >= cap) {
                return; // full: a read of a line that is written once a bucket at most
            }
            long amount = depositUnits + Math.max(0, retries) * UNIT;
            pending.getAndAdd(stripeOfThisThread() * PAD, amount);
        }

        /** Moves the deposits waiting in the stripes' slots into the bank, up to {@code cap}. */
        void drain(long cap) {
            long sum = 0;
            for (int i = 0; i < STRIPES; i++) {
                int at = i * PAD;
                if (pending.get(at) != 0) {
                    sum += pending.getAndSet(at, 0);
                }
            }
            if (sum == 0) {
                return;
            }
            while (true) {
                long current = bank.get();
                if (current >= cap || bank.compareAndSet(current, Math.min(cap, current + sum))) {
                    return;
                }
            }
        }

        /** The bank at {@code nowMillis}, with the deposits waiting in the stripes added. */
        long bank(long nowMillis) {
            drain(cap(nowMillis));
            return bank.get();
        }

        /** A retry: one out of the bank, trimmed to the cap first (the traffic it was saved from has gone). */
        void spend(long nowMillis) {
            long cap = cap(nowMillis);
            drain(cap);
            while (true) {
                long current = bank.get();
                if (bank.compareAndSet(current, Math.min(current, cap) - UNIT)) {
                    return;
                }
            }
        }

        boolean allows(long nowMillis) {
            if (banked) {
                long cap = cap(nowMillis);
                drain(cap);
                return Math.min(bank.get(), cap) >= UNIT;
            }
            long[] counts = counts(nowMillis);
            // One more retry must fit whole: retries + 1 <= floor + ratio x requests.
            return counts[1] + 1 <= settings.minRetries() + settings.ratio() * counts[0];
        }

        long[] counts(long nowMillis) {
            long requests = 0;
            long retries = 0;
            for (Stripe stripe : stripes) {
                synchronized (stripe) {
                    requests += stripe.sum(stripe.requests, nowMillis);
                    retries += stripe.sum(stripe.retries, nowMillis);
                }
            }
            return new long[] {requests, retries};
        }

        /** Marks the window retired when no stripe was used within the window before {@code nowMillis}. */
        boolean retireIfIdle(long nowMillis) {
            return retireFrom(0, nowMillis);
        }

        /** Holds stripe {@code i}'s monitor, then the rest's, and decides with all of them held. */
        private boolean retireFrom(int i, long nowMillis) {
            if (i == STRIPES) {
                for (Stripe stripe : stripes) {
                    boolean used = stripe.lastUse != Long.MIN_VALUE;
                    if (!stripe.retired && used && nowMillis - stripe.lastUse <= windowMillis) {
                        return false;
                    }
                }
                for (Stripe stripe : stripes) {
                    stripe.retired = true;
                }
                return true;
            }
            synchronized (stripes[i]) {
                return retireFrom(i + 1, nowMillis);
            }
        }

        /** One stripe's buckets; guarded by its own monitor. */
        private final class Stripe {
            private final long[] bucketStart = new long[BUCKETS];
            private final int[] requests = new int[BUCKETS];
            private final int[] retries = new int[BUCKETS];
            private long lastUse = Long.MIN_VALUE;
            private boolean retired;
            /** The bucket last recorded into and the time it spans, [start, start + bucketMillis): no division while it lasts. */
            private int currentIndex = -1;
            private long currentStart;

            /** The counts of the buckets inside the window that ends at {@code nowMillis}. */
            long sum(int[] counts, long nowMillis) {
                long oldest = nowMillis - windowMillis;
                long total = 0;
                for (int i = 0; i < BUCKETS; i++) {
                    if (bucketStart[i] > oldest && bucketStart[i] <= nowMillis) {
                        total += counts[i];
                    }
                }
                return total;
            }
        }

        /**
         * In this thread's stripe (its monitor held): the bucket for {@code nowMillis}, cleared
         * first if it held an older slot; -1 when it holds a newer slot (a caller whose clock
         * reading is a whole window late: its count would be outside the window already, and must
         * not erase the newer one).
         */
        private int bucket(long nowMillis) {
            Stripe stripe = stripes[stripeOfThisThread()];
            int current = stripe.currentIndex;
            if (current >= 0 && nowMillis >= stripe.currentStart && nowMillis - stripe.currentStart < bucketMillis) {
                return current; // still the bucket last used: it holds this slot (nothing clears it meanwhile)
            }
            long slot = Math.floorDiv(nowMillis, bucketMillis);
            int index = (int) Math.floorMod(slot, (long) BUCKETS);
            long start = slot * bucketMillis;
            if (stripe.bucketStart[index] != start) {
                if (stripe.bucketStart[index] > start && stripe.lastUse != Long.MIN_VALUE) {
                    return -1;
                }
                stripe.bucketStart[index] = start;
                stripe.requests[index] = 0;
                stripe.retries[index] = 0;
            }
            stripe.currentIndex = index;
            stripe.currentStart = start;
            return index;
        }
    }

    /** Longs between two stripes' deposit slots: a cache line (64 bytes). */
    private static final int PAD = 8;

    /** Stripes per window: a power of two, about twice the processors, at most 8. */
    private static final int STRIPES = Math.min(8,
            Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);

    /** The stripe the calling thread records into: fixed per thread, spread by a multiplicative hash. */
    private static int stripeOfThisThread() {
        long id = Thread.currentThread().getId();
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> 32) & (STRIPES - 1);
    }
}
