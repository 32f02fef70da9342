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
 * <p>Thread-safe: a sweep retires a window under the window's own monitor, and only when the
 * window is idle at that moment; a thread that finds its window retired removes it and records
 * into a fresh one. A count is therefore never written to a window that has left the table. One
 * sweep runs at a time; other threads go on recording meanwhile.
 *
 * <p>Retries are counted exactly (a compare-and-set each). Requests and deposits, one each per
 * call on the happy path, are written without a locked instruction (a read and an ordered
 * write into the calling thread's stripe: issue 14, each locked instruction was several
 * nanoseconds of a call's budget): when two threads that share a stripe write the same word in
 * the same few nanoseconds, one of the two counts can be lost. A lost request lowers the cap
 * and the plain limit, a lost deposit lowers the bank: always fewer retries, never more. A
 * deposit is never counted twice (see {@code drain}).
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

    /** For tests: how often the cap of {@code key}'s window was computed (0 when it has none). */
    int capsComputed(String key) {
        KeyWindow window = windows.get(normalise(key));
        return window == null ? 0 : window.capsComputed;
    }

    /**
     * For tests: the byte distance, in a window's array, from the last word a stripe writes on
     * every call (its newest request bucket may be any of them) to the first word of the next
     * stripe, which every call of the next stripe reads.
     */
    static int bytesFromHotWordsToNextStripe() {
        int lastHot = Math.max(Math.max(LAST_USE, PENDING), REQUESTS + BUCKETS - 1);
        return (STRIDE - lastHot) * Long.BYTES;
    }

    /** For tests: the byte distance from the array's start and end to the nearest stripe word written on every call. */
    static int bytesFromArrayEdgesToHotWords() {
        int firstHot = Math.min(Math.min(LAST_USE, PENDING), REQUESTS);
        int lastHot = (STRIPES - 1) * STRIDE + Math.max(Math.max(LAST_USE, PENDING), REQUESTS + BUCKETS - 1);
        int length = STRIPES * STRIDE;
        return Math.min(EDGE + firstHot, EDGE + length - 1 - lastHot) * Long.BYTES;
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
     * A key's window: ten buckets of (requests, retries) in a few stripes, so that threads on
     * different cores record into cache lines of their own (a thread always uses the stripe its
     * id picks; reads add the stripes up). Without a lock: each bucket is one word holding its
     * slot (which tenth of which window it counts) and its count; a retry is one compare-and-set
     * on it, a request one read and one ordered write (see the class's comment). A sweep retires
     * an idle window under the window's own monitor, in two steps (retiring, then retired or live
     * again); a record that sees the window not live after its write waits for the sweep's
     * verdict, so no record is ever counted in a window that has left the table: it is recorded
     * again into a fresh one.
     */
    private final class KeyWindow {
        private static final int LIVE = 0;
        private static final int RETIRING = 1;
        private static final int RETIRED = 2;
        /** Per stripe, {@value #STRIDE} longs: its last use, its deposits so far, its buckets (see {@link #LAST_USE}). */
        private final java.util.concurrent.atomic.AtomicLongArray cells =
                new java.util.concurrent.atomic.AtomicLongArray(EDGE + STRIPES * STRIDE + EDGE);
        /**
         * Per stripe, how much of its deposit cell has been moved into the bank (written when the
         * bank is read: once a bucket, and at a retry).
         */
        private final java.util.concurrent.atomic.AtomicLongArray drained =
                new java.util.concurrent.atomic.AtomicLongArray(STRIPES);
        /** The bank, in thousandths of a retry (banked mode); may dip below 0 by racing retries. */
        private final java.util.concurrent.atomic.AtomicLong bank = new java.util.concurrent.atomic.AtomicLong(
                floorUnits);
        /** The bank's cap, recomputed once per bucket from the requests in the window. */
        private volatile long capUnits = floorUnits;
        private volatile long capSlot = Long.MIN_VALUE;
        /** How often the cap was computed (for tests). */
        private volatile int capsComputed;
        /** When the key was first used: its starting credit ({@code minRetries}) lasts one window. */
        private volatile long bornMillis = Long.MIN_VALUE;
        /** The bucket recorded into lately (immutable, replaced once per bucket): no division while it lasts. */
        private volatile Span span;
        /** {@link #LIVE}, {@link #RETIRING} (a sweep is deciding, under this object's monitor) or {@link #RETIRED}. */
        private volatile int state = LIVE;

        KeyWindow() {
            for (int i = 0; i < STRIPES; i++) {
                cells.set(cellsOf(i) + LAST_USE, Long.MIN_VALUE);
            }
        }

        /** Adds the counts, or returns false when a sweep has retired this window. */
        boolean add(long nowMillis, int newRequests, int newRetries) {
            Span at = span;
            if (at == null || nowMillis < at.start || nowMillis - at.start >= bucketMillis) {
                at = spanAt(nowMillis);
            }
            int base = cellsOf(stripeOfThisThread());
            if (newRequests > 0) {
                countLossy(base + REQUESTS + at.index, at.slot, newRequests);
            }
            if (newRetries > 0) {
                count(base + RETRIES + at.index, at.slot, newRetries);
            }
            int last = base + LAST_USE;
            long seen = cells.get(last);
            while (nowMillis > seen && !cells.compareAndSet(last, seen, nowMillis)) {
                seen = cells.get(last); // once per millisecond at most (once per timer tick on the fast path)
            }
            // After the compare-and-sets: either a sweep that began before them sees them, or this
            // reads its retiring and waits for what it decided (see the class's comment).
            return state == LIVE || stillLive();
        }

        /** The bucket of {@code nowMillis}, published for the next records unless it is older than the one they use. */
        private Span spanAt(long nowMillis) {
            long slot = Math.floorDiv(nowMillis, bucketMillis);
            Span made = new Span(slot, slot * bucketMillis, (int) Math.floorMod(slot, (long) BUCKETS));
            Span known = span;
            if (known == null || slot > known.slot) {
                span = made;
            }
            return made;
        }

        /**
         * Adds {@code amount} to the bucket word at {@code index} for {@code slot}: a word of an
         * older slot (or empty) starts again at {@code amount}; a word of a newer slot (a reading
         * a whole window late: its count would be outside the window already) is left as it is.
         * A count that would overflow the word stays at its largest (the cap, proportional to the
         * requests, is then lower than the traffic would give: the safe side).
         */
        private void count(int index, long slot, int amount) {
            while (true) {
                long word = cells.get(index);
                long next = counted(word, slot, amount);
                if (next == word || cells.compareAndSet(index, word, next)) {
                    return;
                }
            }
        }

        /**
         * {@link #count} without a locked instruction, for requests (see the class's comment): a
         * read and an ordered write, so a count written meanwhile by another thread of the same
         * stripe may be lost (the lower count is the safe side). The fence that orders a record
         * before its check of {@link #state} is the last-use compare-and-set in {@link #add}, which
         * a record makes whenever its window was not used in the same millisecond (a window used
         * that recently is not idle for a sweep).
         */
        private void countLossy(int index, long slot, int amount) {
            long word = cells.get(index);
            long next = counted(word, slot, amount);
            if (next != word) {
                cells.lazySet(index, next);
            }
        }

        /** The bucket word {@code word} with {@code amount} counted for {@code slot} (see {@link #count}); {@code word} when it stays. */
        private long counted(long word, long slot, int amount) {
            long tag = (slot & SLOT_MASK) << COUNT_BITS;
            long count = word & COUNT_MASK;
            if ((word & ~COUNT_MASK) == tag && count != 0) {
                return tag | Math.min(COUNT_MASK, count + amount);
            }
            if (count == 0 || slotOf(word, slot) < slot) {
                return tag | Math.min(COUNT_MASK, amount);
            }
            return word;
        }

        /** A record saw a sweep at work on this window: waits for it; whether the window stays in use. */
        private boolean stillLive() {
            synchronized (this) {
                return state == LIVE;
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
            // Only forwards: a reading of an earlier bucket (a call that started before the
            // bucket changed, a thread whose clock read is a tick old) takes the newer cap as it
            // is; recomputing it for the older bucket made threads on both sides of a bucket's
            // start recompute it on every call, each undoing the other (issue 14).
            if (known == Long.MIN_VALUE || slot > known) {
                capsComputed++; // racy: a figure for tests, written once a bucket
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
            int at = cellsOf(stripeOfThisThread()) + PENDING;
            // Lossy (see the class's comment): every value this cell ever holds is at most the
            // sum of the deposits written to it so far, so the bank can only get less than it
            // earned, never more.
            cells.lazySet(at, cells.get(at) + amount);
        }

        /**
         * Moves the deposits waiting in the stripes into the bank, up to {@code cap}. A stripe's
         * cell only grows (or, after two racing deposits, steps back a little); what was moved
         * before is in {@link #drained}, advanced by compare-and-set, so concurrent drains move
         * each deposit once, and a cell that stepped back gives nothing until it has grown past
         * what was moved.
         */
        void drain(long cap) {
            long sum = 0;
            for (int i = 0; i < STRIPES; i++) {
                long total = cells.get(cellsOf(i) + PENDING);
                while (true) {
                    long moved = drained.get(i);
                    if (total <= moved) {
                        break;
                    }
                    if (drained.compareAndSet(i, moved, total)) {
                        sum += total - moved;
                        break;
                    }
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

        /** The requests and retries in the buckets inside the window that ends at {@code nowMillis}. */
        long[] counts(long nowMillis) {
            long current = Math.floorDiv(nowMillis, bucketMillis);
            long oldest = nowMillis - windowMillis;
            long requests = 0;
            long retries = 0;
            for (int stripe = 0; stripe < STRIPES; stripe++) {
                int base = cellsOf(stripe);
                for (int i = 0; i < BUCKETS; i++) {
                    requests += inWindow(cells.get(base + REQUESTS + i), current, oldest, nowMillis);
                    retries += inWindow(cells.get(base + RETRIES + i), current, oldest, nowMillis);
                }
            }
            return new long[] {requests, retries};
        }

        /** A bucket word's count when its bucket starts inside (oldest, now]; else 0. */
        private long inWindow(long word, long current, long oldest, long nowMillis) {
            long count = word & COUNT_MASK;
            if (count == 0) {
                return 0;
            }
            long start = slotOf(word, current) * bucketMillis;
            return start > oldest && start <= nowMillis ? count : 0;
        }

        /**
         * Retires the window when no stripe was used within the window before {@code nowMillis}.
         * Under this object's monitor: records that meet the retiring state wait here.
         */
        boolean retireIfIdle(long nowMillis) {
            synchronized (this) {
                if (state == RETIRED) {
                    return true;
                }
                state = RETIRING; // before reading the uses: a record after this point sees it
                for (int i = 0; i < STRIPES; i++) {
                    long last = cells.get(cellsOf(i) + LAST_USE);
                    if (last != Long.MIN_VALUE && nowMillis - last <= windowMillis) {
                        state = LIVE;
                        return false;
                    }
                }
                state = RETIRED;
                return true;
            }
        }
    }

    /** A bucket: its slot (the number of bucket lengths since the epoch), when it starts, and its index in a stripe. */
    private record Span(long slot, long start, int index) {
    }

    /**
     * A stripe's cells: its last use and its deposits so far (see {@code drain}), its request
     * buckets, then its retry buckets. The words a call writes (a request bucket, the deposits)
     * come first and the retry buckets, written only by retries, last: so a stripe's often-written
     * words are more than a cache line (its retry buckets and the stripe's padding) from the next
     * stripe's first word, whatever the array's alignment. Before (issue 14), the deposits came last, two
     * longs before the next stripe's last use, which every call reads: the two shared a line at
     * five of the eight alignments an array can have, and two threads recording into one window
     * took 2 to 3 times one thread's time (BudgetRecordBenchmark, docs/benchmarks.md section P).
     */
    private static final int LAST_USE = 0;
    private static final int PENDING = 1;
    private static final int REQUESTS = 2;
    private static final int RETRIES = REQUESTS + BUCKETS;
    /** Longs from one stripe's cells to the next: a whole number of cache lines (64 bytes each). */
    private static final int STRIDE = (RETRIES + BUCKETS + 7) / 8 * 8;
    /**
     * Unused longs before the first stripe's cells and after the last's: a cache line each, so
     * that the objects allocated beside the array (this window, read on every call; its bank)
     * share no line with a stripe written on every call (a profile with two threads put 5 % of the
     * call in reading the window's cap, fields nobody writes: the sign of a shared line).
     */
    private static final int EDGE = 8;
    /** Where stripe {@code stripe}'s cells start in a window's array. */
    private static int cellsOf(int stripe) {
        return EDGE + stripe * STRIDE;
    }

    /** A bucket word: the slot's low {@code 64 - COUNT_BITS} bits, then the count. */
    private static final int COUNT_BITS = 24;
    private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
    private static final long SLOT_MASK = (1L << (64 - COUNT_BITS)) - 1;

    /**
     * The whole slot of a bucket word, taken as the one nearest {@code near} with the word's low
     * bits (the word keeps {@code 64 - COUNT_BITS} bits of it: 2^39 bucket lengths either side,
     * over 1 700 years with the shortest bucket, a tenth of a 1 s window).
     */
    private static long slotOf(long word, long near) {
        long low = word >>> COUNT_BITS;
        long difference = ((near & SLOT_MASK) - low) << COUNT_BITS >> COUNT_BITS; // sign-extended
        return near - difference;
    }

    /** Stripes per window: a power of two, about twice the processors, at most 8. */
    private static final int STRIPES = Math.min(8,
            Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1);

    /**
     * The stripe the calling thread records into: fixed per thread, its id's low bits (the
     * threads of a pool are numbered one after the other, so they get stripes of their own).
     */
    private static int stripeOfThisThread() {
        return (int) Thread.currentThread().getId() & (STRIPES - 1);
    }
}
