package io.statuspolicy.engine;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A stored response, for answering a 304 (RFC 9111 §4.3.4). Immutable; header names are kept
 * in lower case.
 *
 * @param uri            the request URI it answers
 * @param status         its status (200)
 * @param headers        its header fields
 * @param body           its content
 * @param storedAtMillis when it was stored or last freshened
 */
public record CachedResponse(URI uri, int status, Map<String, List<String>> headers, byte[] body,
        long storedAtMillis) {

    /** Fields a 304 must not overwrite in the stored response (RFC 9111 §3.2; framing is ours). */
    private static final Set<String> KEEP_FROM_STORED = Set.of("content-length", "content-encoding",
            "transfer-encoding", "content-range", "content-type",
            // hop-by-hop fields describe the 304's connection, not the representation (RFC 9110 §7.6.1)
            "connection", "keep-alive", "proxy-connection", "te", "trailer", "upgrade");

    public CachedResponse {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(body, "body");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((name, values) ->
                copy.computeIfAbsent(name.toLowerCase(Locale.ROOT), ignored -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(copy);
        body = body.clone();
    }

    /** The first value of a header field, or null. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The stored content (a copy). */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body's length, without copying it. */
    public int size() {
        return body.length;
    }

    /**
     * This response with the header fields of a 304 that validated it (RFC 9111 §4.3.4): each
     * field the 304 carries replaces the stored one, except content and framing fields.
     */
    public CachedResponse freshenedWith(Map<String, List<String>> notModifiedHeaders, long nowMillis) {
        Map<String, List<String>> merged = new LinkedHashMap<>(headers);
        notModifiedHeaders.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!KEEP_FROM_STORED.contains(lower) && !lower.startsWith(":")) {
                merged.put(lower, List.copyOf(values));
            }
        });
        return new CachedResponse(uri, status, merged, body, nowMillis);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CachedResponse that && uri.equals(that.uri) && status == that.status
                && headers.equals(that.headers) && Arrays.equals(body, that.body)
                && storedAtMillis == that.storedAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, status, headers, Arrays.hashCode(body), storedAtMillis);
    }

    @Override
    public String toString() {
        return "CachedResponse[" + status + " " + uri + ", " + body.length + " bytes]";
    }
}
