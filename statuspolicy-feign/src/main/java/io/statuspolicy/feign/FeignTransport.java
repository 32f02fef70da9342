package io.statuspolicy.feign;

import feign.Request;
import feign.Response;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.Transport;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One call's attempts over a Feign client: blocking ({@link #send}) through a {@code Client}, or
 * non-blocking ({@link #sendAsync}) through an {@code AsyncClient}; whichever is missing is run
 * through the other.
 */
final class FeignTransport implements Transport<Response> {
    /** One blocking attempt. */
    interface Blocking {
        Response execute(Attempt attempt) throws IOException;
    }

    /** One non-blocking attempt. */
    interface NonBlocking {
        CompletableFuture<Response> execute(Attempt attempt);
    }

    private final Request caller;
    private final long bufferLimit;
    private final Blocking blocking;
    private final NonBlocking nonBlocking;

    FeignTransport(Request caller, long bufferLimit, Blocking blocking, NonBlocking nonBlocking) {
        this.caller = caller;
        this.bufferLimit = bufferLimit;
        this.blocking = blocking;
        this.nonBlocking = nonBlocking;
    }

    @Override
    public Exchange<Response> send(Attempt attempt) throws IOException, InterruptedException {
        if (blocking == null) {
            try {
                return sendAsync(attempt).get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            }
        }
        return exchange(blocking.execute(attempt), attempt);
    }

    @Override
    public CompletableFuture<Exchange<Response>> sendAsync(Attempt attempt) {
        if (nonBlocking == null) {
            try {
                return CompletableFuture.completedFuture(send(attempt));
            } catch (IOException | RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<Response> sent;
        try {
            sent = nonBlocking.execute(attempt);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Exchange<Response>> head = sent.thenApply(response -> exchange(response, attempt));
        head.whenComplete((exchange, error) -> {
            if (head.isCancelled()) {
                // Feign's async clients cannot abort an exchange (cancelling their future does not
                // reach the socket), and a cancelled future would drop the response that still
                // comes: it is awaited and closed instead.
                sent.thenAccept(FeignExchange::closeQuietly);
            }
        });
        return head;
    }

    private Exchange<Response> exchange(Response response, Attempt attempt) {
        return new FeignExchange(response, caller, bufferLimit, attempt.uri());
    }

    @Override
    public TransportFailure classify(Throwable error) {
        return FeignFailures.classify(error);
    }
}
