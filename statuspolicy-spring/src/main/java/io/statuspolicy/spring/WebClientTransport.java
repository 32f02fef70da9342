package io.statuspolicy.spring;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.BodyDeadline;
import io.statuspolicy.engine.DeadlinePassed;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import reactor.core.Disposable;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * One call's attempts down the rest of the WebClient filter chain: each attempt is one
 * {@code next.exchange(attemptRequest)}, subscribed to with the caller's Reactor context, its
 * head bounded by the attempt's timeout on the engine's shared timer. Cancelling an attempt's
 * future disposes that subscription, which makes the connector abort the exchange.
 */
final class WebClientTransport implements Transport<ClientResponse> {
    private final ClientRequest caller;
    private final CapturedBody body;
    private final ExchangeFunction next;
    private final ContextView context;
    private final long bufferLimit;

    WebClientTransport(ClientRequest caller, CapturedBody body, ExchangeFunction next, ContextView context,
            long bufferLimit) {
        this.caller = caller;
        this.body = body;
        this.next = next;
        this.context = context;
        this.bufferLimit = bufferLimit;
    }

    /** The attempt as a WebClient request: the engine's method, URI and header fields; the caller's attributes and settings. */
    ClientRequest request(Attempt attempt) {
        return ClientRequest.from(caller)
                .method(HttpMethod.valueOf(attempt.method()))
                .url(attempt.uri())
                .headers(fields -> {
                    fields.clear();
                    attempt.headers().forEach(fields::addAll);
                })
                // Cookies travel in the engine's Cookie field, so its cross-origin rules apply to them.
                .cookies(cookies -> cookies.clear())
                .attribute(StatusPolicySpring.ATTEMPT, attempt.number())
                .body(body.inserter(attempt))
                .build();
    }

    @Override
    public CompletableFuture<Exchange<ClientResponse>> sendAsync(Attempt attempt) {
        ClientRequest request;
        try {
            request = request(attempt);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        AtomicReference<Disposable> subscription = new AtomicReference<>();
        CompletableFuture<Exchange<ClientResponse>> head = new CompletableFuture<>() {
            @Override
            public boolean cancel(boolean mayInterruptIfRunning) {
                boolean cancelled = super.cancel(mayInterruptIfRunning);
                Disposable running = subscription.getAndSet(DISPOSED);
                if (running != null) {
                    running.dispose();
                }
                return cancelled;
            }
        };
        BodyDeadline timeout = BodyDeadline.arm(attempt.timeoutMillis(), () -> {
            Disposable running = subscription.getAndSet(DISPOSED);
            if (running != null) {
                running.dispose();
            }
            head.completeExceptionally(new DeadlinePassed("the call's deadline passed before the response head of "
                    + Redaction.uri(attempt.uri()), null));
        });
        Disposable started = next.exchange(request)
                .contextWrite(Context.of(context))
                .subscribe(response -> {
                    timeout.disarm();
                    WebClientExchange exchange = new WebClientExchange(response, bufferLimit, attempt.uri());
                    if (!head.complete(exchange)) {
                        exchange.abort(); // cancelled, or the deadline passed, as the head arrived
                    }
                }, error -> {
                    timeout.disarm();
                    head.completeExceptionally(error);
                }, () -> {
                    timeout.disarm();
                    head.completeExceptionally(new IOException("the exchange ended without a response"));
                });
        if (!subscription.compareAndSet(null, started)) {
            started.dispose(); // cancelled while it was being subscribed to
        }
        return head;
    }

    private static final Disposable DISPOSED = () -> { };

    @Override
    public Exchange<ClientResponse> send(Attempt attempt) throws IOException, InterruptedException {
        return Transport.await(sendAsync(attempt));
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return SpringFailures.classify(error);
    }
}
