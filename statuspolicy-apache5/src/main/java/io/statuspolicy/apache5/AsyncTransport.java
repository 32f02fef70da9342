package io.statuspolicy.apache5;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The engine's transport over the rest of an async exec chain, for one call. Each attempt is one
 * {@code chain.proceed} with a scope of its own (its route, and a cancellable that belongs to this
 * attempt alone), started only when the previous attempt is over, so two exchanges never share
 * the connection. Waits between attempts are the engine's ({@code Sleeper.delay}); nothing here
 * schedules through HttpClient's internal scheduler.
 */
final class AsyncTransport implements Transport<Void> {
    private final StatusPolicyApache5 adapter;
    private final AsyncExecChain.Scope scope;
    private final AsyncExecChain chain;
    private final AsyncExecCallback caller;
    private final AsyncBody body;
    private final RequestConfig config;
    private HttpHost lastTarget;
    private HttpRoute lastRoute;
    /** The route of the endpoint the runtime may still hold from the previous attempt. */
    private HttpRoute heldRoute;
    private volatile AsyncExchange last;
    private final CookieScope cookies;

    AsyncTransport(StatusPolicyApache5 adapter, AsyncExecChain.Scope scope, AsyncExecChain chain,
            AsyncExecCallback caller, AsyncBody body, RequestConfig config, URI first) {
        this.adapter = adapter;
        this.scope = scope;
        this.chain = chain;
        this.caller = caller;
        this.body = body;
        this.config = config;
        this.lastTarget = Messages.hostOf(first);
        this.lastRoute = scope.route;
        this.cookies = new CookieScope(scope.clientContext, first);
    }

    /** Puts the caller's cookie store back on the context, at the end of the call. */
    void ended() {
        cookies.restore();
    }

    @Override
    public Exchange<Void> send(Attempt attempt) {
        throw new UnsupportedOperationException("the async client's calls run through executeAsync");
    }

    @Override
    public CompletableFuture<Exchange<Void>> sendAsync(Attempt attempt) {
        Head head = new Head();
        AsyncExchange previous = last;
        if (previous == null || previous.finished.isDone()) {
            start(attempt, head);
        } else {
            previous.finished.whenComplete((ignored, error) -> start(attempt, head));
        }
        return head;
    }

    private void start(Attempt attempt, Head head) {
        if (head.isDone()) {
            return; // cancelled while the previous attempt ended
        }
        AsyncExchange exchange = new AsyncExchange(head, scope.execRuntime, caller, adapter.responseBufferLimit(),
                attempt.uri());
        head.exchange = exchange;
        last = exchange;
        try {
            BasicHttpRequest request = new BasicHttpRequest(attempt.method(), attempt.uri());
            Messages.copyFields(attempt, request);
            AsyncEntityProducer producer = attempt.hasBody()
                    ? body.producer(attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH) : null;
            HttpClientContext context = scope.clientContext;
            HttpRoute route = route(attempt.uri(), context);
            if (attempt.freshConnection()) {
                // RFC 9110 §15.5.20: the connection that answered 421 is closed; the retry leases another.
                scope.execRuntime.discardEndpoint();
            } else if (heldRoute != null && !heldRoute.equals(route)) {
                scope.execRuntime.releaseEndpoint(); // the held connection goes to another host
            }
            heldRoute = route;
            context.setRequestConfig(StatusPolicyApache5.configFor(config, attempt.timeoutMillis()));
            cookies.enter(attempt.uri());
            AsyncExecChain.Scope hop = new AsyncExecChain.Scope(scope.exchangeId, route, request,
                    exchange.dependency(), context, scope.execRuntime, scope.scheduler, scope.execCount);
            chain.proceed(request, producer, hop, exchange);
        } catch (HttpException | java.io.IOException | RuntimeException e) {
            exchange.failed(e);
        }
    }

    /** The route to the attempt's host: the call's own, or one planned for another host. */
    private HttpRoute route(URI uri, HttpClientContext context) throws HttpException {
        HttpHost target = Messages.hostOf(uri);
        if (target == null) {
            throw new org.apache.hc.core5.http.ProtocolException("the URI has no valid host: " + uri);
        }
        if (!target.equals(lastTarget)) {
            lastRoute = adapter.routePlanner().determineRoute(target, context);
            lastTarget = target;
        }
        return lastRoute;
    }

    @Override
    public TransportFailure classify(Throwable error) {
        if (scope.cancellableDependency.isCancelled()) {
            return new TransportFailure(TransportFailure.Kind.CANCELLED, "the request was cancelled");
        }
        return TransportFailures.classify(error);
    }

    /** The attempt's future: cancelling it aborts the attempt, whenever it happens. */
    private static final class Head extends CompletableFuture<Exchange<Void>> {
        volatile AsyncExchange exchange;

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            AsyncExchange current = exchange;
            if (current != null) {
                current.abort();
            }
            return cancelled;
        }
    }
}
