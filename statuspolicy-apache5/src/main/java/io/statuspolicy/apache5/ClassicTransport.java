package io.statuspolicy.apache5;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.ClientProtocolException;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicClassicHttpRequest;

/**
 * The engine's transport over the rest of a classic exec chain, for one call: each attempt is one
 * {@code chain.proceed}, with its own request, a scope for its route (a redirect to another host
 * is planned anew, as {@code RedirectExec} does) and a response timeout no longer than the time
 * left. Synchronous only: the classic client sends on the caller's thread.
 */
final class ClassicTransport implements Transport<ClassicHttpResponse> {
    private final StatusPolicyApache5 adapter;
    private final ExecChain.Scope scope;
    private final ExecChain chain;
    private final ClassicBody body;
    private final RequestConfig config;
    private HttpHost lastTarget;
    private HttpRoute lastRoute;
    private final CookieScope cookies;

    ClassicTransport(StatusPolicyApache5 adapter, ExecChain.Scope scope, ExecChain chain, ClassicBody body,
            RequestConfig config, URI first) {
        this.adapter = adapter;
        this.scope = scope;
        this.chain = chain;
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
    public Exchange<ClassicHttpResponse> send(Attempt attempt) throws IOException {
        ClassicHttpRequest request = new BasicClassicHttpRequest(attempt.method(), attempt.uri());
        Messages.copyFields(attempt, request);
        if (attempt.hasBody()) {
            request.setEntity(body.entity(attempt.body() == Attempt.BodyMode.WITH_CONTENT_LENGTH));
        }
        HttpClientContext context = scope.clientContext;
        ExecRuntime runtime = scope.execRuntime;
        try {
            HttpRoute route = route(attempt.uri(), context);
            if (runtime.isEndpointAcquired()) {
                runtime.discardEndpoint(); // never send on a connection with a response still on it
            }
            if (attempt.freshConnection()) {
                // RFC 9110 §15.5.20: a 421 is retried on a new connection. The pool's connection is
                // taken and closed, so the connect step opens a new one on the same endpoint.
                runtime.acquireEndpoint(scope.exchangeId, route, context.getUserToken(), context);
                if (runtime.isEndpointConnected()) {
                    runtime.disconnectEndpoint();
                }
            }
            context.setRequestConfig(StatusPolicyApache5.configFor(config, attempt.timeoutMillis()));
            cookies.enter(attempt.uri());
            ExecChain.Scope hop = new ExecChain.Scope(scope.exchangeId, route, request, runtime, context);
            ClassicHttpResponse response = chain.proceed(request, hop);
            return new ClassicExchange(response, runtime, adapter.responseBufferLimit(), attempt.uri());
        } catch (HttpException e) {
            throw new ClientProtocolException(e.getMessage(), e);
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
    public CompletableFuture<Exchange<ClassicHttpResponse>> sendAsync(Attempt attempt) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(
                "the classic client sends on the caller's thread; use the async client for executeAsync"));
    }

    @Override
    public TransportFailure classify(Throwable error) {
        if (scope.execRuntime.isExecutionAborted()) {
            return new TransportFailure(TransportFailure.Kind.CANCELLED, "the request was cancelled");
        }
        return TransportFailures.classify(error);
    }
}
