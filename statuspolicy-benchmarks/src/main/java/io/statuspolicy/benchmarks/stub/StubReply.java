package io.statuspolicy.benchmarks.stub;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A response made once and handed out for every request: status, header fields and body.
 * Immutable; built in a benchmark's setup, never on the measured path.
 */
public final class StubReply implements ResponseInfo {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    private StubReply(int status, HttpHeaders headers, byte[] body) {
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A reply with {@code status}, the header fields given as name, value pairs, and no body. */
    public static StubReply of(int status, String... nameValuePairs) {
        return withBody(status, new byte[0], nameValuePairs);
    }

    /** A reply with a body. */
    public static StubReply withBody(int status, byte[] body, String... nameValuePairs) {
        if (nameValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("header fields come in name, value pairs: " + Arrays.toString(nameValuePairs));
        }
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            map.computeIfAbsent(nameValuePairs[i], ignored -> new java.util.ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        map.put("Content-Length", List.of(Integer.toString(body.length)));
        return new StubReply(status, HttpHeaders.of(map, (name, value) -> true), body.clone());
    }

    @Override
    public int statusCode() {
        return status;
    }

    @Override
    public HttpHeaders headers() {
        return headers;
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }

    boolean hasBody() {
        return body.length > 0;
    }

    /** A fresh read-only view of the body for one delivery. */
    ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }
}
