package io.statuspolicy.testing.conformance;

import java.util.concurrent.CompletableFuture;

/**
 * An executor (or a client adapter) as the conformance suite drives it. Implement it once per
 * client: translate {@link TestRequest} into the client's request, send it through the
 * synchronous or asynchronous path, and map the result or the exception onto {@link Outcome}.
 */
public interface ClientUnderTest extends AutoCloseable {

    /**
     * Sends the request and waits for its outcome. A synchronous call runs on the calling
     * thread (so a scenario can interrupt it); an asynchronous one is awaited.
     */
    Outcome send(TestRequest request, Mode mode);

    /** Starts an asynchronous call and returns its future, for cancellation scenarios. */
    CompletableFuture<Outcome> sendAsync(TestRequest request);

    /** Releases the client (connections, threads). */
    @Override
    void close();
}
