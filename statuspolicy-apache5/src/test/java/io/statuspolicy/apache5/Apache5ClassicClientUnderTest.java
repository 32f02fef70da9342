package io.statuspolicy.apache5;

import io.statuspolicy.testing.conformance.ClientSettings;
import io.statuspolicy.testing.conformance.ClientUnderTest;
import io.statuspolicy.testing.conformance.Mode;
import io.statuspolicy.testing.conformance.Outcome;
import io.statuspolicy.testing.conformance.TestRequest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.FutureRequestExecutionService;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.InputStreamEntity;
import org.apache.hc.core5.io.CloseMode;

/**
 * The conformance suite's view of the classic client with the policy installed. {@link Mode#SYNC}
 * is {@code CloseableHttpClient.execute} on the calling thread; {@link Mode#ASYNC} and
 * {@link #sendAsync} are HttpClient's own way to run classic calls off the caller's thread,
 * {@link FutureRequestExecutionService}, whose {@code cancel} aborts the request
 * ({@code HttpUriRequestBase.cancel()}) and interrupts the worker.
 */
final class Apache5ClassicClientUnderTest implements ClientUnderTest {
    final PoolingHttpClientConnectionManager pool;
    final CloseableHttpClient client;
    private final ExecutorService workers = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "classic-under-test");
        thread.setDaemon(true);
        return thread;
    });
    private final FutureRequestExecutionService futures;

    Apache5ClassicClientUnderTest(ClientSettings settings) {
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create();
        if (settings.sslContext() != null) {
            connections.setTlsSocketStrategy(new DefaultClientTlsStrategy(settings.sslContext()));
        }
        pool = connections.build();
        client = StatusPolicyApache5.of(TestSupport.engine(settings))
                .install(HttpClients.custom().setConnectionManager(pool))
                .build();
        futures = new FutureRequestExecutionService(client, workers);
    }

    private static final HttpClientResponseHandler<Outcome> OUTCOME = response -> TestSupport.outcome(response,
            response.getEntity() == null ? null : EntityUtils.toByteArray(response.getEntity()));

    @Override
    public Outcome send(TestRequest request, Mode mode) {
        try {
            if (mode == Mode.SYNC) {
                return client.execute(toRequest(request), StatusPolicyApache5.context(TestSupport.options(request)),
                        OUTCOME);
            }
            return futures.execute(toRequest(request), StatusPolicyApache5.context(TestSupport.options(request)),
                    OUTCOME).get();
        } catch (InterruptedIOException e) {
            if (Thread.currentThread().isInterrupted()) {
                // The classic API can only throw I/O: its InterruptedIOException, flag set, is the interrupt.
                InterruptedException interrupted = new InterruptedException(e.getMessage());
                interrupted.initCause(e);
                return Outcome.failure(interrupted, null, 0, true);
            }
            return TestSupport.failure(e);
        } catch (InterruptedException e) {
            return Outcome.failure(e, null, 0, Thread.currentThread().isInterrupted());
        } catch (ExecutionException e) {
            return TestSupport.failure(e.getCause());
        } catch (IOException | RuntimeException e) {
            return TestSupport.failure(e);
        }
    }

    @Override
    public CompletableFuture<Outcome> sendAsync(TestRequest request) {
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        FutureTask<Outcome> task = futures.execute(toRequest(request),
                StatusPolicyApache5.context(TestSupport.options(request)), OUTCOME, new FutureCallback<>() {
                    @Override
                    public void completed(Outcome result) {
                        outcome.complete(result);
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
                task.cancel(true);
            }
        });
        return outcome;
    }

    /**
     * An {@link HttpUriRequestBase}, as {@code HttpGet} and the others are: it is what makes a
     * classic call cancellable ({@code cancel()} closes its connection, whatever it is doing).
     */
    static ClassicHttpRequest toRequest(TestRequest request) {
        HttpUriRequestBase built = new HttpUriRequestBase(request.method(), request.uri());
        for (String[] header : request.headers()) {
            built.addHeader(header[0], header[1]);
        }
        if (request.body() != null) {
            built.setEntity(request.streamed()
                    ? new InputStreamEntity(new ByteArrayInputStream(request.body()), -1, null)
                    : new ByteArrayEntity(request.body(), null));
        }
        return built;
    }

    @Override
    public void close() {
        try {
            futures.close();
        } catch (IOException ignored) {
            // closing the client below is what matters
        }
        workers.shutdownNow();
        client.close(CloseMode.IMMEDIATE);
    }
}
