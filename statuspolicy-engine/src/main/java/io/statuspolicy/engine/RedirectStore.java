package io.statuspolicy.engine;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Remembers permanent redirects (301, 308): after one, later calls to the old URI go straight
 * to the new one, as the guideline asks ("change the URI used for this resource from now on").
 * Temporary redirects (302, 303, 307) are never stored.
 *
 * <p>The engine computes the keys: the old URI without fragment plus a digest of the request's
 * credentials, so that one principal's redirect is never replayed for another (a {@code /me}
 * that points at the user's own resource). It stores nothing for a redirect marked
 * {@code no-store}, and gives every entry a lifetime ({@code max-age}, or a day). A remembered
 * redirect is only a hint: before it is used the engine decides it exactly like a live one
 * (method rules, credentials, downgrade, loop and limit), and ignores it when that refuses.
 *
 * <p>Implementations are thread-safe and bounded.
 */
public interface RedirectStore {

    /** The redirect remembered under {@code key}, or null. */
    Moved lookup(String key);

    /** Records that the resource under {@code key} moved permanently. */
    void remember(String key, Moved moved);

    /** Forgets {@code key}'s entry, if any. */
    void forget(String key);

    /**
     * What the store remembers, by key, for inspection (the Spring Boot actuator endpoint): at
     * most {@code limit} entries, oldest first where the store keeps an order. A key is
     * {@code "MOVED " + uri}, followed by {@code " principal=" + digest} when the request carried
     * credentials (never the credentials themselves). A store that cannot list cheaply returns
     * an empty map, which is the default.
     */
    default java.util.Map<String, Moved> entries(int limit) {
        return java.util.Map.of();
    }

    /**
     * Whether the store certainly holds nothing, so a call need not compute its key (the common
     * case, checked on every call without a lock). False when it cannot tell cheaply.
     */
    default boolean isEmpty() {
        return false;
    }

    /**
     * A remembered permanent redirect.
     *
     * @param target          where the resource moved (absolute, without fragment)
     * @param status          the status that said so: 301 or 308 (308 keeps the method and body)
     * @param expiresAtMillis when the entry stops being used (epoch milliseconds)
     */
    record Moved(URI target, int status, long expiresAtMillis) {
        public Moved {
            Objects.requireNonNull(target, "target");
            if (status != 301 && status != 308) {
                throw new IllegalArgumentException("only 301 and 308 are remembered, was " + status);
            }
        }

        /** Whether the entry is still to be used at {@code nowMillis}. */
        public boolean liveAt(long nowMillis) {
            return nowMillis < expiresAtMillis;
        }
    }

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
        return NoRedirects.INSTANCE;
    }
}

/** The store that remembers nothing. */
enum NoRedirects implements RedirectStore {
    INSTANCE;

    @Override
    public RedirectStore.Moved lookup(String key) {
        return null;
    }

    @Override
    public void remember(String key, RedirectStore.Moved moved) {
    }

    @Override
    public void forget(String key) {
    }

    @Override
    public boolean isEmpty() {
        return true;
    }
}
