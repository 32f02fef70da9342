package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlinePassed;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import io.statuspolicy.http.Origin;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The engine's transport for {@link PolicyCallFactory}'s {@code enqueue()}: each attempt is a
 * call of its own on the client, enqueued, so a dispatcher thread is held only while a request
 * is on the wire and its callback runs, never while the policy waits. Cancelling an attempt's
 * future cancels its OkHttp call.
 */
final class CallTransport implements Transport<Response> {
    private final OkHttpClient client;
    private final AttemptRequests requests;
    private final long bufferLimit;
    private volatile OkHttpExchange last;

    CallTransport(OkHttpClient client, AttemptRequests requests, long bufferLimit) {
        this.client = client;
        this.requests = requests;
        this.bufferLimit = bufferLimit;
    }

    @Override
    public CompletableFuture<Exchange<Response>> sendAsync(Attempt attempt) {
        Request request;
        try {
            boolean sameOrigin = attempt.uri() == requests.uri() || Origin.sameOrigin(attempt.uri(), requests.uri());
            request = requests.request(attempt).newBuilder()
                    .tag(PolicyInterceptor.AttemptMark.class, new PolicyInterceptor.AttemptMark(sameOrigin))
                    .build();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        OkHttpClient sender = attempt.freshConnection() ? fresh(client) : client;
        Call call = sender.newCall(request);
        Deadline deadline = Deadline.arm(call, attempt.timeoutMillis());
        CompletableFuture<Exchange<Response>> head = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                call.cancel();
                return super.cancel(mayInterruptIfRunning);
            }
        };
        call.enqueue(new Callback() {
            @Override
            public void onResponse(Call done, Response response) {
                OkHttpExchange previous = last;
                OkHttpExchange exchange = new OkHttpExchange(response, done, deadline, bufferLimit,
                        previous == null ? null : previous.withoutBody());
                last = exchange;
                if (!head.complete(exchange)) {
                    exchange.abort(); // cancelled while the head arrived
                }
            }

            @Override
            public void onFailure(Call done, IOException e) {
                deadline.disarm();
                if (deadline.passed()) {
                    head.completeExceptionally(new DeadlinePassed(
                            "the call's deadline passed before the response head of " + Redaction.uri(attempt.uri()), e));
                } else {
                    head.completeExceptionally(e);
                }
            }
        });
        return head;
    }

    /**
     * A client whose pool keeps no idle connection, for an attempt that must go out on a new
     * connection (the retry after 421 Misdirected Request): its connection is closed once released.
     */
    static OkHttpClient fresh(OkHttpClient client) {
        return client.newBuilder().connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS)).build();
    }

    @Override
    public Exchange<Response> send(Attempt attempt) throws IOException, InterruptedException {
        return Transport.await(sendAsync(attempt));
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return OkHttpFailures.classify(error);
    }
}
