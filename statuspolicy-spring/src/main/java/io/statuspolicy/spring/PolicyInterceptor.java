package io.statuspolicy.spring;

import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CallSpec;
import io.statuspolicy.engine.PolicyEngine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Runs each call through the engine on the calling thread; each attempt is one
 * {@code execution.execute}. A policy failure is a {@code PolicyException} (an
 * {@link IOException}: RestClient and RestTemplate wrap it in their {@code ResourceAccessException});
 * a status the policy returns is a response, which reaches the client's status handlers as before.
 */
final class PolicyInterceptor implements ClientHttpRequestInterceptor {
    private static final byte[] NO_BODY = new byte[0];

    private final PolicyEngine engine;
    private final long bufferLimit;

    PolicyInterceptor(PolicyEngine engine, long bufferLimit) {
        this.engine = engine;
        this.bufferLimit = bufferLimit;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        SpringTransport transport = new SpringTransport(bufferLimit,
                attempt -> execution.execute(attemptRequest(request, attempt, body), attempt.hasBody() ? body : NO_BODY));
        StatusPolicyRetryPredicate.Receipts.clear();
        try {
            ClientHttpResponse response = engine.execute(spec(request, body), transport);
            int status = response.getStatusCode().value();
            if (status >= 400) {
                // What a status exception from this response will look like, for the @Retryable predicate.
                StatusPolicyRetryPredicate.Receipts.returned(status, response.getHeaders());
            }
            return response;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // intercept may throw only IOException: the flag says why
            InterruptedIOException interrupted = new InterruptedIOException("interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    /**
     * Interceptors get the body as bytes (Spring buffers it for them, and sets its Content-Length):
     * always replayable, its length known. An empty body is no body: Spring does not tell them apart.
     */
    static CallSpec spec(HttpRequest request, byte[] body) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.getHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        boolean hasBody = body != null && body.length > 0;
        Object options = request.getAttributes().get(StatusPolicySpring.CALL_OPTIONS);
        if (options != null && !(options instanceof CallOptions)) {
            throw new IllegalArgumentException("the request attribute " + StatusPolicySpring.CALL_OPTIONS
                    + " must be a CallOptions, was a " + options.getClass().getName());
        }
        URI uri = request.getURI();
        return new CallSpec(request.getMethod().name(), uri, headers, hasBody, true, hasBody,
                options == null ? CallOptions.DEFAULT : (CallOptions) options);
    }

    /** The attempt as a Spring request: the engine's method, URI and header fields, the caller's attributes. */
    static HttpRequest attemptRequest(HttpRequest caller, Attempt attempt, byte[] body) {
        HttpHeaders headers = new HttpHeaders();
        attempt.headers().forEach((name, values) -> headers.addAll(name, values));
        if (attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH) {
            headers.setContentLength(body == null ? 0 : body.length);
        }
        HttpMethod method = HttpMethod.valueOf(attempt.method());
        URI uri = attempt.uri();
        Map<String, Object> attributes = new LinkedHashMap<>(caller.getAttributes());
        return new HttpRequest() {
            @Override
            public HttpMethod getMethod() {
                return method;
            }

            @Override
            public URI getURI() {
                return uri;
            }

            @Override
            public Map<String, Object> getAttributes() {
                return attributes;
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }
        };
    }

    @Override
    public String toString() {
        return "StatusPolicyInterceptor[" + engine + "]";
    }
}
