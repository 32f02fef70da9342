package io.statuspolicy.apache5;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * The conformance suite's view of the async client with the policy installed. Both modes go
 * through {@code CloseableHttpAsyncClient.execute}; {@link Mode#SYNC} blocks on its future (the
 * async client's only blocking form: an interrupt cancels the future and keeps the flag set),
 * {@link Mode#ASYNC} and {@link #sendAsync} complete from its callback, and cancelling
 * {@link #sendAsync}'s future cancels the client's.
 *
 * <p>A streamed request body ({@link TestRequest#streamed()}) is a repeatable producer sent
 * chunked, of unknown length to the server: HttpClient's async producers are replayed only when
 * repeatable, and this adapter does not read a one-shot producer ahead.
 */
final class Apache5AsyncClientUnderTest implements ClientUnderTest {
    final PoolingAsyncClientConnectionManager pool;
    final CloseableHttpAsyncClient client;

    Apache5AsyncClientUnderTest(ClientSettings settings) {
        PoolingAsyncClientConnectionManagerBuilder connections = PoolingAsyncClientConnectionManagerBuilder.create();
        if (settings.sslContext() != null) {
            connections.setTlsStrategy(new DefaultClientTlsStrategy(settings.sslContext()));
        }
        pool = connections.build();
        client = StatusPolicyApache5.of(TestSupport.engine(settings))
                .install(HttpAsyncClients.custom().setConnectionManager(pool))
                .build();
        client.start();
    }

    @Override
    public Outcome send(TestRequest request, Mode mode) {
        if (mode == Mode.ASYNC) {
            return sendAsync(request).join();
        }
        Future<SimpleHttpResponse> call = execute(request, null);
        try {
            return outcome(call.get());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return Outcome.failure(e, null, 0, true);
        } catch (ExecutionException e) {
            return TestSupport.failure(e.getCause());
        } catch (RuntimeException e) {
            return TestSupport.failure(e);
        }
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        Future<SimpleHttpResponse> call = execute(request, new FutureCallback<>() {
            @Override
            public void completed(SimpleHttpResponse result) {
                outcome.complete(outcome(result));
            }

            @Override
            public void failed(Exception ex) {
                outcome.complete(TestSupport.failure(ex));
            }

            @Override
            public void cancelled() {
                outcome.cancel(false);
            }
        });
        outcome.whenComplete((ignored, error) -> {
            if (outcome.isCancelled()) {
                call.cancel(true);
            }
        });
        return outcome;
    }

    private Future<SimpleHttpResponse> execute(TestRequest request, FutureCallback<SimpleHttpResponse> callback) {
        return client.execute(toProducer(request), SimpleResponseConsumer.create(),
                StatusPolicyApache5.context(TestSupport.options(request)), callback);
    }

    private static Outcome outcome(SimpleHttpResponse response) {
        return TestSupport.outcome(response, response.getBodyBytes());
    }

    static AsyncRequestProducer toProducer(TestRequest request) {
        AsyncRequestBuilder builder = AsyncRequestBuilder.create(request.method()).setUri(request.uri());
        for (String[] header : request.headers()) {
            builder.addHeader(header[0], header[1]);
        }
        if (request.body() != null) {
            AsyncEntityProducer body = new BasicAsyncEntityProducer(request.body(), null, request.streamed());
            builder.setEntity(body);
        }
        return builder.build();
    }

    @Override
    public void close() {
        client.close(CloseMode.IMMEDIATE);
    }
}
