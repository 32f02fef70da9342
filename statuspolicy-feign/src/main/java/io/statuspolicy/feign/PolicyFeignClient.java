package io.statuspolicy.feign;

import feign.Client;
import feign.Request;
import feign.Response;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A {@link Client} that runs each call through the engine on the calling thread; each attempt is
 * one {@code delegate.execute}. A policy failure is a {@code PolicyException} (an
 * {@link IOException}, which Feign wraps in its {@code RetryableException}); a status the policy
 * returns is a response, which reaches Feign's {@code ErrorDecoder} as before.
 */
final class PolicyFeignClient implements Client {
    private final StatusPolicyFeign settings;
    private final Client delegate;

    PolicyFeignClient(StatusPolicyFeign settings, Client delegate) {
        this.settings = settings;
        this.delegate = delegate;
    }

    @Override
    public Response execute(Request request, Request.Options options) throws IOException {
        FeignTransport transport = new FeignTransport(request, settings.bufferLimit(),
                attempt -> delegate.execute(FeignCalls.request(request, attempt), FeignCalls.options(options, attempt)),
                null);
        try {
            return settings.engine().execute(FeignCalls.spec(request, settings), transport);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // Client.execute may throw only IOException: the flag says why
            InterruptedIOException interrupted = new InterruptedIOException("interrupted");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    Client delegate() {
        return delegate;
    }

    @Override
    public String toString() {
        return "PolicyFeignClient[" + delegate + "]";
    }
}
