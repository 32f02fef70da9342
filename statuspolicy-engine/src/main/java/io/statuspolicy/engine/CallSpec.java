package io.statuspolicy.engine;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A call as the engine needs to know it, before its first attempt: what the caller asked for
 * and the three facts about its body that decide whether it may be sent again.
 *
 * <p>Immutable. The header map is the caller's (not copied): the engine only reads it.
 *
 * @param method      the caller's method
 * @param uri         the caller's absolute URI (a fragment is kept for the final URI, never sent)
 * @param headers     the caller's header fields; look-ups are by exact name, so an adapter whose
 *                    client folds case passes a case-insensitive map
 * @param hasBody     whether the request has a body
 * @param replayable  whether the body can be sent again (bytes in memory, a file, a publisher that
 *                    can be subscribed to again)
 * @param lengthKnown whether the body's length is known before it is sent
 * @param options     the caller's per-call options
 */
public record CallSpec(String method, URI uri, Map<String, List<String>> headers, boolean hasBody,
        boolean replayable, boolean lengthKnown, CallOptions options) {

    public CallSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(options, "options");
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("the request URI must be absolute, was " + uri);
        }
    }

    /** The first value of one of the caller's header fields (any case of its name), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        if (values == null && !headers.isEmpty()) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name)) {
                    values = entry.getValue();
                    break;
                }
            }
        }
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
