package io.statuspolicy.okhttp;

import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CallSpec;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * Turns a caller's OkHttp request into the engine's {@link CallSpec}, and each of the engine's
 * {@link Attempt}s back into an OkHttp request: exactly the attempt's method, URL, header fields
 * and body, with the caller's tags kept. One per call.
 */
final class AttemptRequests {
    private final Request original;
    private final URI uri;
    private final CallSpec spec;
    private byte[] withLength;

    AttemptRequests(Request original) {
        this.original = original;
        this.uri = uriOf(original.url());
        this.spec = makeSpec();
    }

    /**
     * {@code url.uri()}, without its cost when the URL's text is already a valid URI (almost
     * always): OkHttp's {@code uri()} re-encodes the URL through a builder, compiling a regular
     * expression on every call, before parsing it, which was 40 % of this adapter's 200 path. The
     * re-encoding changes only characters that java.net.URI refuses (square brackets in the path;
     * a backslash, caret, backquote, braces or a bar in the query; those and quotes or angle
     * brackets in the host and fragment; a percent sign not followed by two hex digits), so a text
     * that parses is what it returns, and one that does not goes through OkHttp's own re-encoding
     * ({@code AttemptRequestsTest} compares the two on 20 000 random URLs).
     */
    static URI uriOf(HttpUrl url) {
        String text = url.toString();
        int slot = text.hashCode() & (KNOWN - 1);
        Known known = KNOWN_URIS[slot];
        if (known != null && known.text.equals(text)) {
            return known.uri;
        }
        URI parsed;
        try {
            parsed = new URI(text);
        } catch (java.net.URISyntaxException refused) {
            parsed = url.uri();
        }
        if (url.username().isEmpty() && url.password().isEmpty()) { // credentials are not kept around
            KNOWN_URIS[slot] = new Known(text, parsed);
        }
        return parsed;
    }

    /**
     * The URIs of the URLs parsed lately, by their text's hash: a service calls the same few URLs
     * over and over, and parsing one was a quarter of this adapter's 200 path (about 300 ns). A
     * URI is immutable, so any thread may use one another thread parsed; the slots are written
     * racily with immutable values (a lost write only means a parse more). At most
     * {@value #KNOWN} are kept; a URL with a user name or password never is.
     */
    private static final int KNOWN = 64;
    private static final Known[] KNOWN_URIS = new Known[KNOWN];

    /** A URL's text and the URI it parsed to. */
    private record Known(String text, URI uri) {
    }

    /** The caller's URI, computed once (OkHttp builds a new one on every {@code url().uri()}). */
    URI uri() {
        return uri;
    }

    Request original() {
        return original;
    }

    /** What the engine needs to know of the call: the body can be sent again unless it is one-shot. */
    CallSpec spec() {
        return spec;
    }

    private CallSpec makeSpec() {
        RequestBody body = original.body();
        long length = contentLength(body);
        boolean hasBody = body != null && length != 0;
        CallOptions options = original.tag(CallOptions.class);
        return new CallSpec(original.method(), uri, headersOf(original.headers()), hasBody,
                hasBody && !body.isOneShot(), length >= 0, options == null ? CallOptions.DEFAULT : options);
    }

    /** The request for one attempt. */
    Request request(Attempt attempt) throws IOException {
        // The engine passes the caller's own URI and fields when the attempt changes nothing in
        // them (the first attempt, mostly): then the caller's request goes out as it is.
        boolean sameUri = attempt.uri() == uri;
        boolean sameFields = attempt.headers() == spec.headers();
        boolean sameBody = attempt.body() == Attempt.BodyMode.AS_GIVEN
                || (attempt.body() == Attempt.BodyMode.NONE && original.body() == null);
        if (sameUri && sameFields && sameBody && attempt.method().equals(original.method())) {
            return original;
        }
        Request.Builder builder = original.newBuilder();
        if (!sameUri) {
            builder.url(HttpUrl.get(attempt.uri().toString()));
        }
        if (!sameFields) {
            builder.headers(fields(attempt));
        }
        return builder.method(attempt.method(), body(attempt)).build();
    }

    private static Headers fields(Attempt attempt) {
        Headers.Builder fields = new Headers.Builder();
        for (Map.Entry<String, List<String>> field : attempt.headers().entrySet()) {
            for (String value : field.getValue()) {
                fields.add(field.getKey(), value);
            }
        }
        return fields.build();
    }

    private RequestBody body(Attempt attempt) throws IOException {
        RequestBody body = original.body();
        switch (attempt.body()) {
            case AS_GIVEN:
                return body;
            case WITH_CONTENT_LENGTH:
                // The 411 resend: the same bytes with a known length, so OkHttp writes Content-Length.
                if (withLength == null) {
                    Buffer bytes = new Buffer();
                    body.writeTo(bytes);
                    withLength = bytes.readByteArray();
                }
                return RequestBody.create(withLength, body.contentType());
            default:
                // No body (a redirect turned the request into a GET); OkHttp insists on one for
                // the methods that must carry one, so those get an empty body.
                return requiresBody(attempt.method()) ? RequestBody.create(new byte[0], null) : null;
        }
    }

    private static boolean requiresBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
                || method.equals("PROPPATCH") || method.equals("REPORT") || method.equals("QUERY");
    }

    private static long contentLength(RequestBody body) {
        if (body == null) {
            return 0;
        }
        try {
            return body.contentLength();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The request's fields, looked up without regard to case (as CallSpec asks), in order. */
    static Map<String, List<String>> headersOf(Headers headers) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < headers.size(); i++) {
            map.computeIfAbsent(headers.name(i), name -> new ArrayList<>(2)).add(headers.value(i));
        }
        return map;
    }
}
