package io.statuspolicy.apache5;

import io.statuspolicy.engine.CallSpec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * The classic client's exec chain element that runs each call through the engine, first in the
 * chain: every {@code chain.proceed} below it is one attempt. Stateless; one instance serves every
 * call of the client, on the caller's thread.
 */
final class ClassicPolicyHandler implements ExecChainHandler {
    private final StatusPolicyApache5 adapter;

    ClassicPolicyHandler(StatusPolicyApache5 adapter) {
        this.adapter = adapter;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        HttpClientContext context = scope.clientContext;
        RequestConfig config = context.getRequestConfigOrDefault();
        StatusPolicyApache5.refuseClientDecisions(config);
        URI uri;
        try {
            uri = request.getUri();
        } catch (URISyntaxException e) {
            throw new ProtocolException("the request URI is not valid: " + e.getMessage(), e);
        }
        ClassicBody body = ClassicBody.of(request.getEntity(), adapter.bodyBufferLimit());
        CallSpec spec = new CallSpec(request.getMethod(), uri, Messages.requestFields(request), body.present(),
                body.replayable(), body.lengthKnown(), StatusPolicyApache5.options(context));
        ClassicTransport transport = new ClassicTransport(adapter, scope, chain, body, config, uri);
        try {
            return adapter.engine().execute(spec, transport);
        } catch (InterruptedException e) {
            // The classic API throws I/O only: the interrupt flag stays set, as the engine left it.
            InterruptedIOException interrupted = new InterruptedIOException("the call was interrupted");
            interrupted.initCause(e);
            throw interrupted;
        } catch (CancellationException e) {
            throw new RequestFailedException("Request aborted", e);
        } finally {
            context.setRequestConfig(config);
            transport.ended();
        }
    }
}
