package io.statuspolicy.budget;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The retry budget over a sliding window: per key, retries in the window may be at most
 * {@code minRetries + ratio × requests in the window}: a retry is allowed when one more still
 * fits within that sum. Keys are the caller's choice (see {@link RetryBudget}) and are compared
 * without regard to case.
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
    private final long windowMillis;
    private final long bucketMillis;
    private final int sweepThreshold;
    private final ConcurrentHashMap<String, KeyWindow> windows = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
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
    public void recordRequest(String key, long nowMillis) {
        record(normalise(key), nowMillis, 1, 0);
    }

    @Override
    public void recordRetry(String key, long nowMillis) {
        record(normalise(key), nowMillis, 0, 1);
    }

    private void record(String key, long nowMillis, int newRequests, int newRetries) {
        while (true) {
            KeyWindow window = windows.get(key); // the common case: no size check, no allocation
            if (window == null) {
                if (windows.size() > sweepAt) {
                    sweep(nowMillis);
                }
                window = windows.computeIfAbsent(key, ignored -> new KeyWindow());
            }
            if (window.add(nowMillis, newRequests, newRetries)) {
                return;
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

    /** For tests: how many sweeps have run. */
    int sweepsRun() {
        return sweeps;
    }

    /** For tests: how many keys the table holds. */
    int keys() {
        return windows.size();
    }

    private static String normalise(String key) {
        return key == null ? "" : key.toLowerCase(Locale.ROOT);
    }

    /** Ten buckets of (requests, retries); guarded by its own monitor. */
    private final class KeyWindow {
        private final long[] bucketStart = new long[BUCKETS];
        private final int[] requests = new int[BUCKETS];
        private final int[] retries = new int[BUCKETS];
        private long lastUse = Long.MIN_VALUE;
        private boolean retired;

        /** Adds the counts, or returns false when a sweep has retired this window. */
        synchronized boolean add(long nowMillis, int newRequests, int newRetries) {
            if (retired) {
                return false;
            }
            int index = bucket(nowMillis);
            if (index >= 0) {
                requests[index] += newRequests;
                retries[index] += newRetries;
            }
            lastUse = Math.max(lastUse, nowMillis);
            return true;
        }

        synchronized boolean allows(long nowMillis) {
            // One more retry must fit whole: retries + 1 <= floor + ratio x requests.
            return sum(retries, nowMillis) + 1 <= settings.minRetries() + settings.ratio() * sum(requests, nowMillis);
        }

        synchronized long[] counts(long nowMillis) {
            return new long[] {sum(requests, nowMillis), sum(retries, nowMillis)};
        }

        /** The counts of the buckets inside the window that ends at {@code nowMillis}. */
        private long sum(int[] counts, long nowMillis) {
            long oldest = nowMillis - windowMillis;
            long total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                if (bucketStart[i] > oldest && bucketStart[i] <= nowMillis) {
                    total += counts[i];
                }
            }
            return total;
        }

        /** Marks the window retired when it was not used within the window before {@code nowMillis}. */
        synchronized boolean retireIfIdle(long nowMillis) {
            if (nowMillis - lastUse > windowMillis) {
                retired = true;
            }
            return retired;
        }

        /**
         * The bucket for {@code nowMillis}, cleared first if it held an older slot; -1 when it
         * holds a newer slot (a caller whose clock reading is a whole window late: its count
         * would be outside the window already, and must not erase the newer one).
         */
        private int bucket(long nowMillis) {
            long slot = Math.floorDiv(nowMillis, bucketMillis);
            int index = (int) Math.floorMod(slot, (long) BUCKETS);
            long start = slot * bucketMillis;
            if (bucketStart[index] != start) {
                if (bucketStart[index] > start && lastUse != Long.MIN_VALUE) {
                    return -1;
                }
                bucketStart[index] = start;
                requests[index] = 0;
                retries[index] = 0;
            }
            return index;
        }
    }
}
