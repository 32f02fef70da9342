package io.statuspolicy.jdk;

import java.net.URI;
import java.nio.file.Path;

/**
 * Remembers permanent redirects (301, 308): after one, later calls to the old URI go straight
 * to the new one, as the guideline asks ("change the URI used for this resource from now on").
 * Temporary redirects (302, 303, 307) are never stored.
 *
 * <p>Keys and targets are absolute URIs without fragments. Implementations are thread-safe.
 */
public interface RedirectStore {

    /** The URI that replaced {@code uri}, or null. */
    URI lookup(URI uri);

    /** Records that {@code from} moved permanently to {@code to}. */
    void remember(URI from, URI to);

    /** Forgets {@code uri}'s entry, if any. */
    void forget(URI uri);

    /** An in-memory store holding at most {@code maxEntries}, forgetting the least recently used. */
    static RedirectStore inMemory(int maxEntries) {
        return new InMemoryRedirectStore(maxEntries);
    }

    /**
     * A store kept in {@code file} (a properties file, rewritten atomically on each change) so that
     * what was learned survives the process; at most {@code maxEntries} entries.
     */
    static RedirectStore file(Path file, int maxEntries) {
        return new FileRedirectStore(file, maxEntries);
    }

    /** A store that remembers nothing. */
    static RedirectStore none() {
        return NoRedirectStore.INSTANCE;
    }

    /** The store that remembers nothing. */
    enum NoRedirectStore implements RedirectStore {
        INSTANCE;

        @Override
        public URI lookup(URI uri) {
            return null;
        }

        @Override
        public void remember(URI from, URI to) {
        }

        @Override
        public void forget(URI uri) {
        }
    }
}
