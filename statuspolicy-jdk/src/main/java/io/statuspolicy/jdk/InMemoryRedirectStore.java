package io.statuspolicy.jdk;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** A bounded, least-recently-used map of permanent redirects. */
class InMemoryRedirectStore implements RedirectStore {
    private final int maxEntries;
    private final LinkedHashMap<String, URI> moved;

    InMemoryRedirectStore(int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a redirect store holds at least 1 entry, was " + maxEntries);
        }
        this.maxEntries = maxEntries;
        this.moved = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, URI> eldest) {
                return size() > InMemoryRedirectStore.this.maxEntries;
            }
        };
    }

    @Override
    public synchronized URI lookup(URI uri) {
        return moved.get(key(uri));
    }

    @Override
    public synchronized void remember(URI from, URI to) {
        moved.put(key(from), withoutFragment(to));
        changed();
    }

    @Override
    public synchronized void forget(URI uri) {
        if (moved.remove(key(uri)) != null) {
            changed();
        }
    }

    /** A copy of the entries, oldest first. */
    synchronized Map<String, URI> snapshot() {
        return new LinkedHashMap<>(moved);
    }

    /** Puts an entry without calling {@link #changed()} (used when loading). */
    synchronized void load(String key, URI to) {
        moved.put(key, to);
    }

    /** Called, holding the lock, after every change. */
    void changed() {
    }

    static String key(URI uri) {
        return withoutFragment(uri).toString();
    }

    static URI withoutFragment(URI uri) {
        if (uri.getRawFragment() == null) {
            return uri;
        }
        String text = uri.toString();
        return URI.create(text.substring(0, text.indexOf('#')));
    }
}
