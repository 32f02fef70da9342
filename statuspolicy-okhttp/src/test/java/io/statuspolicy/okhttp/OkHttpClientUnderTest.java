package io.statuspolicy.okhttp;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The conformance suite's view of an OkHttp client with the policy installed: SYNC is
 * {@code execute()} (the interceptor), ASYNC is {@code enqueue()} through the policy's call
 * factory. Bodies are read with {@code bytes()}, as most callers do; the client buffers bodies up
 * to 8 MiB, the equivalent of the JDK's {@code ofByteArray()} handler.
 */
final class OkHttpClientUnderTest implements ClientUnderTest {
    private final OkHttpClient client;
    private final Call.Factory calls;

    OkHttpClientUnderTest(ClientSettings settings) {
        this(settings, 8L << 20);
    }

    OkHttpClientUnderTest(ClientSettings settings, long bufferLimit) {
        PolicyEngine.Builder engine = settings.engine();
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (settings.sslContext() != null) {
            builder.sslSocketFactory(settings.sslContext().getSocketFactory(), platformTrust());
        }
        client = StatusPolicyOkHttp.with(engine.build()).bufferResponseBodies(bufferLimit).install(builder).build();
        calls = StatusPolicyOkHttp.callFactory(client);
    }

    OkHttpClient client() {
        return client;
    }

    /**
     * OkHttp asks for a trust manager beside the socket factory; it uses it only to clean
     * certificate chains for pinning. Trust itself is the socket factory's (the test CA).
     */
    private static X509TrustManager platformTrust() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return (X509TrustManager) factory.getTrustManagers()[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        try (Response response = calls.newCall(toRequest(request)).execute()) {
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
        Call call = calls.newCall(toRequest(request));
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call done, Response response) {
                try (response) {
                    outcome.complete(outcome(response));
                } catch (IOException | RuntimeException e) {
                    outcome.complete(failure(e));
                }
            }

            @Override
            public void onFailure(Call done, IOException e) {
                outcome.complete(failure(e));
            }
        });
        outcome.whenComplete((ignored, error) -> {
            if (outcome.isCancelled()) {
                call.cancel();
            }
        });
        return outcome;
    }

    private static Outcome outcome(Response response) throws IOException {
        byte[] body = response.body().bytes();
        Map<String, java.util.List<String>> headers = response.headers().toMultimap().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue, (x, y) -> x));
        return Outcome.response(response.code(), headers, body);
    }

    private static Outcome failure(Throwable error) {
        if (error instanceof PolicyException policy) {
            return Outcome.failure(policy, policy.category(), policy.lastStatus(), false);
        }
        return Outcome.failure(error, null, 0, false);
    }

    private static Request toRequest(TestRequest request) {
        RequestBody body = null;
        if (request.body() != null) {
            byte[] bytes = request.body();
            body = request.streamed() ? new StreamedBody(bytes) : RequestBody.create(bytes, null);
        }
        Request.Builder builder = new Request.Builder().url(request.uri().toString()).method(request.method(), body);
        for (String[] header : request.headers()) {
            builder.addHeader(header[0], header[1]);
        }
        return builder.tag(CallOptions.class, request.options()).build();
    }

    /** A body of unknown length (sent chunked) that can be written again, as OkHttp bodies are by default. */
    static final class StreamedBody extends RequestBody {
        private final byte[] bytes;

        StreamedBody(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public MediaType contentType() {
            return null;
        }

        @Override
        public long contentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            sink.write(bytes);
        }
    }

    @Override
    public void close() {
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }
}
