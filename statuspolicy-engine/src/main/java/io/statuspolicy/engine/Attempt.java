package io.statuspolicy.engine;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt of a call, as the engine computed it: the adapter turns it into its client's
 * request and sends it as it is. The engine has already applied every per-hop rule to the
 * header fields (credentials set or dropped, content fields removed when the body is, validators
 * added or removed), so an adapter copies them and adds nothing of its own but what its client
 * adds to every request.
 *
 * <p>Immutable.
 *
 * @param number         1 for the first request of the call, then 2, 3, ... for every request sent
 * @param method         the method, exactly as it is sent (methods are case-sensitive, RFC 9110 §9.1)
 * @param uri            the absolute target URI, without a fragment
 * @param headers        exactly the header fields to send, in order; names as the caller wrote them
 * @param body           whether and how to send the request body
 * @param timeoutMillis  how long the response head may take: the time left before the call's
 *                       deadline, or {@link Long#MAX_VALUE} when the call has none
 * @param freshConnection send on a new connection, not a pooled one (a retry after 421
 *                       Misdirected Request, RFC 9110 §15.5.20); an adapter that cannot honour it
 *                       says so in its documentation
 */
public record Attempt(int number, String method, URI uri, Map<String, List<String>> headers, BodyMode body,
        long timeoutMillis, boolean freshConnection) implements Execution.Step {

    /** How the request body goes out on this attempt. */
    public enum BodyMode {
        /** No body (a GET, or a request turned into a GET by a redirect). */
        NONE,
        /** The caller's body, as the caller framed it (a known length, or chunked). */
        AS_GIVEN,
        /** The caller's body with a {@code Content-Length}: the 411 Length Required resend. */
        WITH_CONTENT_LENGTH
    }

    public Attempt {
        if (number < 1) {
            throw new IllegalArgumentException("an attempt is numbered from 1, was " + number);
        }
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
    }

    /** Whether the request has a body on this attempt. */
    public boolean hasBody() {
        return body != BodyMode.NONE;
    }
}
