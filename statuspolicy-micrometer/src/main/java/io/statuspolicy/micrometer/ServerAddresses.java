package io.statuspolicy.micrometer;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bounds the {@code server.address} tag: the first {@code limit} hosts seen keep their name, every
 * later one is {@link PolicyMeters#OTHER}, so a client that calls many hosts cannot grow the
 * registry without end. Thread-safe.
 */
final class ServerAddresses {
    private final int limit;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    ServerAddresses(int limit) {
        this.limit = limit;
    }

    String tagFor(URI uri) {
        String host = uri == null ? null : uri.getHost();
        if (host == null || host.isEmpty()) {
            return PolicyMeters.OTHER;
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // OpenTelemetry: an IPv6 address without brackets
        }
        host = host.toLowerCase(Locale.ROOT);
        if (known.contains(host)) {
            return host;
        }
        synchronized (known) {
            if (known.size() < limit) {
                known.add(host);
                return host;
            }
        }
        return known.contains(host) ? host : PolicyMeters.OTHER;
    }
}
