package io.statuspolicy.engine;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Stored responses in memory, bounded by the total size of their bodies. */
final class InMemoryResponseStore implements ResponseStore {
    private final long maxBytes;
    private final LinkedHashMap<String, CachedResponse> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    InMemoryResponseStore(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a response store holds at least 1 byte, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public synchronized CachedResponse get(String key) {
        return entries.get(key);
    }

    @Override
    public synchronized void put(String key, CachedResponse response) {
        if (response.size() > maxBytes) {
            remove(key);
            return;
        }
        CachedResponse old = entries.put(key, response);
        bytes += response.size() - (old == null ? 0 : old.size());
        Iterator<Map.Entry<String, CachedResponse>> eldest = entries.entrySet().iterator();
        while (bytes > maxBytes && eldest.hasNext()) {
            Map.Entry<String, CachedResponse> entry = eldest.next();
            if (!entry.getKey().equals(key)) {
                bytes -= entry.getValue().size();
                eldest.remove();
            }
        }
    }

    @Override
    public synchronized void remove(String key) {
        CachedResponse old = entries.remove(key);
        if (old != null) {
            bytes -= old.size();
        }
    }

    @Override
    public synchronized String toString() {
        return "InMemoryResponseStore[" + entries.size() + " entries, " + bytes + " of " + maxBytes + " bytes]";
    }
}
