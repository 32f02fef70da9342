package io.statuspolicy.testing.conformance;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A request, described independently of any HTTP client, that a {@link ClientUnderTest}
 * translates into its own client's request.
 *
 * @param method        the method
 * @param uri           the absolute URI
 * @param headers       header lines as {name, value} pairs, in order
 * @param body          the body, or null for none
 * @param streamed      send the body as a stream of unknown length (chunked) rather than a
 *                      byte array of known length
 * @param retrySafe     mark the request safe to repeat
 * @param awaitResource await a 404 for this long, or null
 * @param deadline      the call's deadline, or null for the policy's
 */
public record TestRequest(String method, URI uri, List<String[]> headers, byte[] body, boolean streamed,
        boolean retrySafe, Duration awaitResource, Duration deadline) {

    public TestRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = List.copyOf(headers);
    }

    public static TestRequest get(URI uri) {
        return new TestRequest("GET", uri, List.of(), null, false, false, null, null);
    }

    public static TestRequest of(String method, URI uri, byte[] body) {
        return new TestRequest(method, uri, List.of(), body, false, false, null, null);
    }

    /** A copy with one more header line. */
    public TestRequest header(String name, String value) {
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {name, value});
        return new TestRequest(method, uri, more, body, streamed, retrySafe, awaitResource, deadline);
    }

    public TestRequest asStream() {
        return new TestRequest(method, uri, headers, body, true, retrySafe, awaitResource, deadline);
    }

    public TestRequest markedRetrySafe() {
        return new TestRequest(method, uri, headers, body, streamed, true, awaitResource, deadline);
    }

    public TestRequest awaitResource(Duration window) {
        return new TestRequest(method, uri, headers, body, streamed, retrySafe, window, deadline);
    }

    public TestRequest deadline(Duration value) {
        return new TestRequest(method, uri, headers, body, streamed, retrySafe, awaitResource, value);
    }

    /** The engine's per-call options this request asks for. */
    public io.statuspolicy.engine.CallOptions options() {
        io.statuspolicy.engine.CallOptions options = io.statuspolicy.engine.CallOptions.DEFAULT.withRetrySafe(retrySafe);
        if (awaitResource != null) {
            options = options.withAwaitResource(awaitResource);
        }
        if (deadline != null) {
            options = options.withDeadline(deadline);
        }
        return options;
    }
}
