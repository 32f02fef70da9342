package io.statuspolicy.engine;

import io.statuspolicy.decision.HostHold;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link HoldStore#inMemory}: a concurrent map of holds, one monitor per entry. Bounded: an entry
 * lapses {@link HoldStore#PROBE_LEASE_MILLIS} after its hold ended, and lapsed entries are swept
 * when a new key arrives and the map holds more than {@code sweepAt} keys (then {@code sweepAt}
 * becomes twice the keys left, at least 64), so each new key costs amortised O(1) and a read
 * never scans. At {@code maxKeys} live holds a new key is not kept: the call that got the
 * {@code Retry-After} still honours it, only the others are not held (fail open, never stuck).
 */
final class InMemoryHoldStore implements HoldStore {
    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    private final int maxKeys;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private volatile int sweepAt = 64;

    InMemoryHoldStore(int maxKeys) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("a hold store keeps at least 1 key, was " + maxKeys);
        }
        this.maxKeys = maxKeys;
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public HostHold get(String key, long nowMillis) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        synchronized (entry) {
            if (entry.removed || entry.lapsed(nowMillis)) {
                entry.removed = true;
                entries.remove(key, entry);
                return null;
            }
            return entry.hold.withProbing(entry.probeUntil > nowMillis);
        }
    }

    @Override
    public void hold(String key, HostHold hold, long nowMillis) {
        while (true) {
            Entry entry = entries.get(key);
            if (entry == null) {
                if (entries.size() >= sweepAt) {
                    sweep(nowMillis);
                }
                if (entries.size() >= maxKeys) {
                    return;
                }
                if (entries.putIfAbsent(key, new Entry(hold)) == null) {
                    return;
                }
                continue;
            }
            synchronized (entry) {
                if (!entry.removed) {
                    if (entry.lapsed(nowMillis) || hold.untilMillis() > entry.hold.untilMillis()) {
                        entry.hold = hold.withProbing(false);
                    }
                    return;
                }
            }
            entries.remove(key, entry);
        }
    }

    @Override
    public boolean claimProbe(String key, long nowMillis) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return false;
        }
        synchronized (entry) {
            if (entry.removed || entry.lapsed(nowMillis) || nowMillis < entry.hold.untilMillis()
                    || entry.probeUntil > nowMillis) {
                return false;
            }
            entry.probeUntil = nowMillis + PROBE_LEASE_MILLIS;
            entry.probeEnds = new CompletableFuture<>();
            return true;
        }
    }

    @Override
    public void probeEnded(String key, boolean released, long nowMillis) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return;
        }
        CompletableFuture<Void> waking;
        synchronized (entry) {
            waking = entry.probeEnds;
            entry.probeEnds = null;
            entry.probeUntil = Long.MIN_VALUE;
            if (released && nowMillis >= entry.hold.untilMillis()) { // a newer hold made meanwhile stays
                entry.removed = true;
                entries.remove(key, entry);
            }
        }
        if (waking != null) {
            waking.complete(null);
        }
    }

    @Override
    public CompletableFuture<Void> whenProbeEnds(String key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return NONE;
        }
        synchronized (entry) {
            return entry.probeEnds == null ? NONE : entry.probeEnds;
        }
    }

    /** For tests: how many keys the map holds. */
    int keys() {
        return entries.size();
    }

    private void sweep(long nowMillis) {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Map.Entry<String, Entry> item : entries.entrySet()) {
                Entry entry = item.getValue();
                synchronized (entry) {
                    if (entry.lapsed(nowMillis)) {
                        entry.removed = true;
                        entries.remove(item.getKey(), entry);
                    }
                }
            }
            sweepAt = Math.max(64, (int) Math.min(Integer.MAX_VALUE, 2L * entries.size()));
        } finally {
            sweeping.set(false);
        }
    }

    /** One key's hold and probe slot; guarded by its own monitor. */
    private static final class Entry {
        HostHold hold;
        long probeUntil = Long.MIN_VALUE;
        CompletableFuture<Void> probeEnds;
        boolean removed;

        Entry(HostHold hold) {
            this.hold = hold.withProbing(false);
        }

        /** A hold whose probe never succeeded lapses a lease after it ended, a probe in flight or not. */
        boolean lapsed(long nowMillis) {
            return nowMillis - hold.untilMillis() >= PROBE_LEASE_MILLIS && probeUntil <= nowMillis;
        }
    }
}
