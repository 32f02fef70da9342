package io.statuspolicy.budget;

import io.statuspolicy.http.Origin;
import java.net.URI;

/**
 * {@link RetryBudget#keyOf} without making the key again for an origin seen lately: the key is a
 * function of the URI's scheme, host and port, so a small table of the last ones, by their hash,
 * answers most calls with a read and three comparisons (before: an {@link Origin}, two lower-cased
 * strings and a concatenation per call, asked up to three times per retried call). Racy by design:
 * an entry is immutable and a lost update only makes one key more.
 */
final class OriginKeys {
    private static final int SLOTS = 64;
    private static final Known[] KNOWN = new Known[SLOTS];

    private OriginKeys() {
    }

    private record Known(String scheme, String host, int port, String key) {
    }

    static String of(URI uri) {
        String host = uri.getHost();
        String scheme = uri.getScheme();
        if (host == null || scheme == null) {
            return Origin.of(uri).toString(); // throws: no origin
        }
        int port = uri.getPort();
        int slot = (host.hashCode() * 31 + port) & (SLOTS - 1);
        Known known = KNOWN[slot];
        if (known != null && known.port == port && known.host.equals(host) && known.scheme.equals(scheme)) {
            return known.key;
        }
        String key = Origin.of(uri).toString();
        KNOWN[slot] = new Known(scheme, host, port, key);
        return key;
    }
}
