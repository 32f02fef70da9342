package io.statuspolicy.feign;

import feign.AsyncClient;
import feign.Request;
import feign.Response;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An {@link AsyncClient} that runs each call through the engine without holding a thread while it
 * waits; each attempt is one {@code delegate.execute}. Cancelling the returned future stops the
 * call; an attempt in flight is abandoned (Feign's async clients cannot abort one) and its
 * response, if one comes, closed.
 */
final class PolicyAsyncFeignClient<C> implements AsyncClient<C> {
    private final StatusPolicyFeign settings;
    private final AsyncClient<C> delegate;

    PolicyAsyncFeignClient(StatusPolicyFeign settings, AsyncClient<C> delegate) {
        this.settings = settings;
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Response> execute(Request request, Request.Options options, Optional<C> context) {
        FeignTransport transport = new FeignTransport(request, settings.bufferLimit(), null,
                attempt -> delegate.execute(FeignCalls.request(request, attempt), FeignCalls.options(options, attempt),
                        context));
        try {
            return settings.engine().executeAsync(FeignCalls.spec(request, settings), transport);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public String toString() {
        return "PolicyAsyncFeignClient[" + delegate + "]";
    }
}
