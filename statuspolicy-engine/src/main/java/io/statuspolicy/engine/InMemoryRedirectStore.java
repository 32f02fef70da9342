package io.statuspolicy.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, least-recently-used map of permanent redirects. Thread-safe (one monitor). */
class InMemoryRedirectStore implements RedirectStore {
    private final int maxEntries;
    private final LinkedHashMap<String, Moved> moved;
    /** The number of entries, readable without the monitor. */
    private volatile int size;
    /** Counts changes, so a persistent store can tell an older snapshot from a newer one. */
    private long version;

    InMemoryRedirectStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a redirect store holds at least 1 entry, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.moved = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Moved> eldest) {
                return size() > InMemoryRedirectStore.this.maxEntries;
            }
        };
    }

    @Override
    public Moved lookup(String key) {
        synchronized (moved) {
            return moved.isEmpty() ? null : moved.get(key);
        }
    }

    @Override
    public void remember(String key, Moved value) {
        Map<String, Moved> copy;
        long at;
        synchronized (moved) {
            moved.put(key, value);
            size = moved.size();
            copy = snapshotIfPersistent();
            at = ++version;
        }
        changed(key, false);
        persist(copy, at);
    }

    @Override
    public void forget(String key) {
        Map<String, Moved> copy;
        long at;
        synchronized (moved) {
            if (moved.remove(key) == null) {
                return;
            }
            size = moved.size();
            copy = snapshotIfPersistent();
            at = ++version;
        }
        changed(key, true);
        persist(copy, at);
    }

    @Override
    public Map<String, Moved> entries(int limit) {
        Map<String, Moved> copy = new LinkedHashMap<>();
        synchronized (moved) {
            for (Map.Entry<String, Moved> entry : moved.entrySet()) {
                if (copy.size() >= limit) {
                    break;
                }
                copy.put(entry.getKey(), entry.getValue());
            }
        }
        return java.util.Collections.unmodifiableMap(copy);
    }

    /** Puts an entry without persisting (used when loading). */
    void load(String key, Moved value) {
        synchronized (moved) {
            moved.put(key, value);
            size = moved.size();
        }
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    private Map<String, Moved> snapshotIfPersistent() {
        return persistent() ? new LinkedHashMap<>(moved) : null;
    }

    /** Whether {@link #persist} wants a copy of the entries after each change. */
    boolean persistent() {
        return false;
    }

    /** The most entries held. */
    int maxEntries() {
        return maxEntries;
    }

    /** Called after a change of {@code key}, outside the monitor, before {@link #persist}. */
    void changed(String key, boolean forgotten) {
    }

    /**
     * Called after a change, outside the monitor, with a copy of the entries (oldest first) and
     * the change's number: a later change has a higher one, whatever order the calls come in.
     */
    void persist(Map<String, Moved> entries, long version) {
    }
}
