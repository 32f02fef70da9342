package io.statuspolicy.feign;

import feign.AsyncClient;
import feign.Client;
import feign.Request;
import feign.Response;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestCredentials;
import io.statuspolicy.testing.conformance.TestRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The conformance suite's view of a Feign client with the policy: SYNC is the decorated
 * {@code feign.Client}'s {@code execute} (what every Feign proxy calls), ASYNC the decorated
 * {@code AsyncClient}'s. The delegate is the real {@code Client.Default} (HttpURLConnection) or
 * feign-okhttp's {@code OkHttpClient}. Per-call options travel through the settings' resolver,
 * keyed by the request object the caller built.
 */
final class FeignClientUnderTest implements ClientUnderTest {
    /** Which Feign client is under the decorator. */
    enum Delegate { DEFAULT, OKHTTP }

    private static final Request.Options OPTIONS = new Request.Options(10, TimeUnit.SECONDS, 30, TimeUnit.SECONDS, true);

    private final Map<Request, CallOptions> options = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Client client;
    private final AsyncClient<Object> async;
    private final ExecutorService executor;
    private final okhttp3.OkHttpClient okhttp;

    FeignClientUnderTest(ClientSettings settings, Delegate delegate) {
        PolicyEngine.Builder engine = PolicyEngine.builder()
                .policy(settings.policy())
                .clock(settings.clock())
                .sleeper(settings.sleeper())
                .random(settings.random());
        if (settings.listener() != null) {
            engine.listener(settings.listener());
        }
        if (settings.credentials() != null) {
            engine.credentials(adapt(settings.credentials()));
        }
        if (settings.stateDirectory() != null) {
            engine.redirectStore(RedirectStore.file(settings.stateDirectory().resolve("redirects.properties"), 1000));
            engine.responseStore(ResponseStore.directory(settings.stateDirectory().resolve("responses"), 1 << 26));
        } else if (settings.responseCache()) {
            engine.responseStore(ResponseStore.inMemory(1 << 24));
        }
        StatusPolicyFeign feign = StatusPolicyFeign.with(engine.build())
                .callOptions(request -> options.getOrDefault(request, CallOptions.DEFAULT));
        if (delegate == Delegate.OKHTTP) {
            okhttp3.OkHttpClient.Builder builder = io.statuspolicy.okhttp.StatusPolicyOkHttp.neutral(
                    new okhttp3.OkHttpClient.Builder());
            if (settings.sslContext() != null) {
                builder.sslSocketFactory(settings.sslContext().getSocketFactory(), platformTrust());
            }
            okhttp = builder.build();
            feign.okhttp.OkHttpClient feignOkHttp = new feign.okhttp.OkHttpClient(okhttp);
            client = feign.client(feignOkHttp);
            async = feign.asyncClient(feignOkHttp);
            executor = null;
        } else {
            okhttp = null;
            Client plain = new Client.Default(settings.sslContext() == null ? null
                    : settings.sslContext().getSocketFactory(), null);
            executor = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "feign-async");
                thread.setDaemon(true);
                return thread;
            });
            client = feign.client(plain);
            async = feign.asyncClient(new AsyncClient.Default<>(plain, executor));
        }
    }

    private static X509TrustManager platformTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        if (mode == Mode.ASYNC) {
            try {
                return sendAsync(request).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return Outcome.failure(e, null, 0, true);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                return failure(e.getCause() == null ? e : e.getCause());
            }
        }
        Request feignRequest;
        try {
            feignRequest = toRequest(request);
        } catch (RuntimeException e) {
            return failure(e);
        }
        try (Response response = client.execute(feignRequest, OPTIONS)) {
            return outcome(response);
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted() && e.getCause() instanceof InterruptedException interrupted) {
                return Outcome.failure(interrupted, null, 0, true);
            }
            return failure(e);
        } catch (IOException | RuntimeException e) {
            return failure(e);
        }
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        Request feignRequest;
        try {
            feignRequest = toRequest(request);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(e));
        }
        CompletableFuture<Response> call = async.execute(feignRequest, OPTIONS, Optional.empty());
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        call.whenComplete((response, error) -> {
            if (error != null) {
                outcome.complete(failure(unwrap(error)));
                return;
            }
            try (response) {
                outcome.complete(outcome(response));
            } catch (IOException | RuntimeException e) {
                outcome.complete(failure(e));
            }
        });
        outcome.whenComplete((ignored, error) -> {
            if (outcome.isCancelled()) {
                call.cancel(true);
            }
        });
        return outcome;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static Outcome outcome(Response response) throws IOException {
        byte[] body = new byte[0];
        if (response.body() != null) {
            try (InputStream in = response.body().asInputStream()) {
                body = in.readAllBytes();
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Map.Entry<String, Collection<String>> field : response.headers().entrySet()) {
            headers.put(field.getKey().toLowerCase(Locale.ROOT), new ArrayList<>(field.getValue()));
        }
        return Outcome.response(response.status(), headers, body);
    }

    private static Outcome failure(Throwable error) {
        if (error instanceof PolicyException policy) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        return Outcome.failure(error, null, 0, false);
    }

    private Request toRequest(TestRequest request) {
        Map<String, Collection<String>> headers = new LinkedHashMap<>();
        for (String[] header : request.headers()) {
            headers.computeIfAbsent(header[0], name -> new ArrayList<>()).add(header[1]);
        }
        byte[] body = request.body();
        if (body != null && !request.streamed()) {
            headers.put("Content-Length", List.of(Integer.toString(body.length))); // as RequestTemplate.body does
        }
        Request feignRequest = Request.create(Request.HttpMethod.valueOf(request.method()), request.uri().toString(),
                headers, body, StandardCharsets.UTF_8, null);
        CallOptions call = CallOptions.DEFAULT.withRetrySafe(request.retrySafe());
        if (request.awaitResource() != null) {
            call = call.withAwaitResource(request.awaitResource());
        }
        if (request.deadline() != null) {
            call = call.withDeadline(request.deadline());
        }
        options.put(feignRequest, call);
        return feignRequest;
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
        if (okhttp != null) {
            okhttp.dispatcher().executorService().shutdown();
            okhttp.connectionPool().evictAll();
        }
    }
}
