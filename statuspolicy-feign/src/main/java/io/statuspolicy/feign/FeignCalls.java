package io.statuspolicy.feign;

import feign.Request;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.CallSpec;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Maps a Feign call onto the engine and back: the call's {@link CallSpec}, and each attempt's
 * {@link Request} and {@link Request.Options}.
 */
final class FeignCalls {
    private FeignCalls() {
    }

    /** Feign bodies are byte arrays: always replayable; the length is known when a field says it. */
    static CallSpec spec(Request request, StatusPolicyFeign settings) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        boolean hasBody = request.body() != null;
        return new CallSpec(request.httpMethod().name(), URI.create(request.url()), headers, hasBody, true,
                hasBody && headers.containsKey("Content-Length"), settings.optionsFor(request));
    }

    /** The attempt as a Feign request: the engine's method, URL and header fields, the caller's body when sent. */
    static Request request(Request caller, Attempt attempt) {
        Map<String, Collection<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        attempt.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        byte[] body = attempt.hasBody() ? caller.body() : null;
        if (attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH) {
            headers.put("Content-Length", List.of(Integer.toString(body == null ? 0 : body.length)));
        }
        Request.HttpMethod method;
        try {
            method = Request.HttpMethod.valueOf(attempt.method());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Feign cannot send the method " + attempt.method()
                    + " (feign.Request.HttpMethod has no such value)", e);
        }
        return Request.create(method, attempt.uri().toString(), headers, body, caller.charset(),
                caller.requestTemplate());
    }

    /**
     * The caller's timeouts, each cut to the time left (at least 1 ms: 0 means "no timeout" to
     * HttpURLConnection and OkHttp), and redirect following off whatever the caller set: the
     * policy decides every redirect (feign-okhttp rebuilds its client per call to honour this).
     */
    static Request.Options options(Request.Options caller, Attempt attempt) {
        long left = attempt.timeoutMillis();
        return new Request.Options(cut(caller.connectTimeoutUnit().toMillis(caller.connectTimeout()), left),
                TimeUnit.MILLISECONDS, cut(caller.readTimeoutUnit().toMillis(caller.readTimeout()), left),
                TimeUnit.MILLISECONDS, false);
    }

    private static long cut(long configured, long left) {
        long wanted = configured <= 0 ? Long.MAX_VALUE : configured;
        long cut = Math.min(wanted, left);
        if (cut == Long.MAX_VALUE) {
            return 0; // neither the caller nor the call has a limit
        }
        return Math.max(1, Math.min(cut, Integer.MAX_VALUE));
    }
}
