package io.statuspolicy.spring;

import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.web.client.RestClient;

/**
 * The conformance suite's view of a real {@link RestClient} on {@code JdkClientHttpRequestFactory}
 * with the policy interceptor. SYNC is {@code exchange} on the calling thread. RestClient has no
 * asynchronous API: ASYNC runs the same synchronous call on an executor thread, and cancelling
 * its future interrupts that thread (which {@code JdkClientHttpRequest} turns into a cancel of the
 * JDK exchange). So ASYNC here checks the blocking path from another thread and cancellation by
 * interrupt, not a non-blocking path: there is none in this client.
 */
final class RestClientUnderTest implements ClientUnderTest {
    private final RestClient client;
    private final HttpClient http;
    private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "restclient-async");
        thread.setDaemon(true);
        return thread;
    });

    RestClientUnderTest(ClientSettings settings) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        if (settings.sslContext() != null) {
            builder.sslContext(settings.sslContext());
        }
        http = builder.followRedirects(HttpClient.Redirect.NEVER).build();
        StatusPolicySpring policy = StatusPolicySpring.with(settings.engine().build());
        client = policy.install(RestClient.builder()
                        .requestFactory(StatusPolicySpring.checked(new org.springframework.http.client.JdkClientHttpRequestFactory(http))))
                .build();
    }

    @Override
    public Outcome send(TestRequest request, Mode mode) {
        if (mode == Mode.ASYNC) {
            try {
                return sendAsync(request).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return Outcome.failure(e, null, 0, true);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                return failure(e.getCause() == null ? e : e.getCause());
            }
        }
        try {
            return call(request);
        } catch (RuntimeException e) {
            InterruptedException interrupted = find(e, InterruptedException.class);
            if (Thread.currentThread().isInterrupted() && interrupted != null) {
                return Outcome.failure(interrupted, null, 0, true);
            }
            return failure(e);
        }
    }

    private Outcome call(TestRequest request) {
        RestClient.RequestBodySpec spec = client.method(HttpMethod.valueOf(request.method()))
                .uri(request.uri())
                .attribute(StatusPolicySpring.CALL_OPTIONS, request.options())
                .headers(fields -> {
                    for (String[] header : request.headers()) {
                        fields.add(header[0], header[1]);
                    }
                });
        if (request.body() != null) {
            spec.body(request.body());
        }
        return spec.exchange((sent, response) -> outcome(response));
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Future<?> running = executor.submit(() -> {
            try {
                outcome.complete(call(request));
            } catch (RuntimeException e) {
                outcome.complete(failure(e));
            }
        });
        outcome.whenComplete((ignored, error) -> {
            if (outcome.isCancelled()) {
                running.cancel(true);
            }
        });
        return outcome;
    }

    private static Outcome outcome(ClientHttpResponse response) throws IOException {
        byte[] body = response.getBody().readAllBytes();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.getHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), new ArrayList<>(values)));
        return Outcome.response(response.getStatusCode().value(), headers, body);
    }

    private static Outcome failure(Throwable error) {
        PolicyException policy = find(error, PolicyException.class);
        if (policy != null) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        Throwable cause = error;
        // RestClient wraps every IOException in a ResourceAccessException: the suite wants the client's own.
        if (error instanceof org.springframework.web.client.ResourceAccessException && error.getCause() != null) {
            cause = error.getCause();
        }
        return Outcome.failure(cause, null, 0, false);
    }

    static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
