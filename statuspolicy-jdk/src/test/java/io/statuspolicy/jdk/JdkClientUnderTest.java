package io.statuspolicy.jdk;

import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestCredentials;
import io.statuspolicy.testing.conformance.TestRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The conformance suite's view of {@link PolicyHttpClient}. */
final class JdkClientUnderTest implements ClientUnderTest {
    private final PolicyHttpClient client;

    JdkClientUnderTest(ClientSettings settings) {
        HttpClient.Builder delegate = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (settings.sslContext() != null) {
            delegate.sslContext(settings.sslContext());
        }
        PolicyHttpClient.Builder builder = PolicyHttpClient.builder()
                .delegate(delegate)
                .policy(settings.policy())
                .clock(settings.clock())
                .sleeper(settings.sleeper())
                .random(settings.random());
        if (settings.listener() != null) {
            builder.listener(settings.listener());
        }
        if (settings.credentials() != null) {
            builder.credentials(adapt(settings.credentials()));
        }
        if (settings.stateDirectory() != null) {
            builder.redirectStore(RedirectStore.file(settings.stateDirectory().resolve("redirects.properties"), 1000));
            builder.responseStore(ResponseStore.directory(settings.stateDirectory().resolve("responses"), 1 << 26));
        } else if (settings.responseCache()) {
            builder.responseStore(ResponseStore.inMemory(1 << 24));
        }
        client = builder.build();
    }

    private static CredentialSource adapt(TestCredentials credentials) {
        return new CredentialSource() {
            @Override
            public String current(URI uri) {
                return credentials.current();
            }

            @Override
            public String refresh(URI uri, String refused) {
                return credentials.refresh(refused);
            }
        };
    }

    @Override
    public Outcome send(TestRequest request, Mode mode) {
        HttpRequest httpRequest = toHttpRequest(request);
        CallOptions options = options(request);
        try {
            HttpResponse<byte[]> response = mode == Mode.SYNC
                    ? client.send(httpRequest, HttpResponse.BodyHandlers.ofByteArray(), options)
                    : client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofByteArray(), options).get();
            return outcome(response);
        } catch (InterruptedException e) {
            return Outcome.failure(e, null, 0, Thread.currentThread().isInterrupted());
        } catch (ExecutionException e) {
            return failure(e.getCause());
        } catch (IOException | RuntimeException e) {
            return failure(e);
        }
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(toHttpRequest(request),
                HttpResponse.BodyHandlers.ofByteArray(), options(request));
        CompletableFuture<Outcome> outcome = call.handle((response, error) -> error == null ? outcome(response)
                : failure(error instanceof CompletionException ? error.getCause() : error));
        outcome.whenComplete((ignored, error) -> {
            if (outcome.isCancelled()) {
                call.cancel(true);
            }
        });
        return outcome;
    }

    private static Outcome outcome(HttpResponse<byte[]> response) {
        return Outcome.response(response.statusCode(), response.headers().map().entrySet().stream()
                .collect(java.util.stream.Collectors.toMap(e -> e.getKey().toLowerCase(java.util.Locale.ROOT),
                        java.util.Map.Entry::getValue, (x, y) -> x)), response.body());
    }

    private static Outcome failure(Throwable error) {
        if (error instanceof PolicyException policy) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        return Outcome.failure(error, null, 0, false);
    }

    private static CallOptions options(TestRequest request) {
        return request.options();
    }

    private static HttpRequest toHttpRequest(TestRequest request) {
        HttpRequest.BodyPublisher body;
        if (request.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (request.streamed()) {
            byte[] bytes = request.body();
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(request.body());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri()).method(request.method(), body);
        for (String[] header : request.headers()) {
            builder.header(header[0], header[1]);
        }
        return builder.build();
    }

    @Override
    public void close() {
        // java.net.http in Java 17 has no close(); its threads are daemons that end when idle.
    }
}
