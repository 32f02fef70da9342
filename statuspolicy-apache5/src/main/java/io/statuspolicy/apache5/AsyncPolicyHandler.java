package io.statuspolicy.apache5;

import io.statuspolicy.engine.CallSpec;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;

/**
 * The async client's exec chain element that runs each call through the engine, first in the
 * chain. The engine decides on each head ({@code AsyncExecCallback.handleResponse}); the caller's
 * callback sees only the response the policy returns, or the failure it ends with. Cancelling the
 * caller's future cancels the call, whatever it is doing. Stateless.
 */
final class AsyncPolicyHandler implements AsyncExecChainHandler {
    private final StatusPolicyApache5 adapter;

    AsyncPolicyHandler(StatusPolicyApache5 adapter) {
        this.adapter = adapter;
    }

    @Override
    public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
            AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
        HttpClientContext context = scope.clientContext;
        RequestConfig config = context.getRequestConfigOrDefault();
        StatusPolicyApache5.refuseClientDecisions(config);
        URI uri;
        try {
            uri = request.getUri();
        } catch (URISyntaxException e) {
            throw new ProtocolException("the request URI is not valid: " + e.getMessage(), e);
        }
        AsyncBody body = new AsyncBody(entityProducer);
        CallSpec spec = new CallSpec(request.getMethod(), uri, Messages.requestFields(request), body.present(),
                body.replayable(), body.lengthKnown(), StatusPolicyApache5.options(context));
        AsyncTransport transport = new AsyncTransport(adapter, scope, chain, callback, body, config, uri);
        CompletableFuture<Void> call = adapter.engine().executeAsync(spec, transport);
        scope.cancellableDependency.setDependency(() -> call.cancel(true));
        call.whenComplete((ignored, error) -> {
            context.setRequestConfig(config);
            transport.ended();
            if (error == null) {
                callback.completed();
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                callback.failed(cause instanceof Exception e ? e : new IOException(cause));
            }
        });
    }
}
