package io.statuspolicy.engine;

import java.nio.file.Path;

/**
 * Where the executor keeps responses with validators ({@code ETag}, {@code Last-Modified}), so
 * that a later request can be made conditional and a 304 answered with the stored copy.
 *
 * <p>The executor computes the keys: they include a digest of the request's credentials
 * ({@code Authorization}, {@code Cookie}), so one principal's response is never served to
 * another. Implementations are thread-safe and bounded.
 */
public interface ResponseStore {

    /** The stored response for {@code key}, or null. */
    CachedResponse get(String key);

    /** Stores (or replaces) the response for {@code key}. */
    void put(String key, CachedResponse response);

    /** Removes the response for {@code key}, if any. */
    void remove(String key);

    /** In memory, at most {@code maxBytes} of bodies, least recently used evicted first. */
    static ResponseStore inMemory(long maxBytes) {
        return new InMemoryResponseStore(maxBytes);
    }

    /** One file per entry in {@code directory}, at most {@code maxBytes} of files, oldest evicted first. */
    static ResponseStore directory(Path directory, long maxBytes) {
        return new DirectoryResponseStore(directory, maxBytes);
    }
}
