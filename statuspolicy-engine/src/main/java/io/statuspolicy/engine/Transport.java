package io.statuspolicy.engine;

import io.statuspolicy.decision.TransportFailure;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * What an adapter implements to run the engine over its HTTP client: send one attempt and report
 * its head, and say what a failure of its client means. Everything else (the loop, the per-hop
 * header rules, body replay decisions, deadlines, credentials, redirect memory, the response
 * store, the retry budget, events) is the engine's; an adapter never decides anything.
 *
 * <p>The contract, per attempt:
 * <ul>
 *   <li>the request goes out exactly as {@link Attempt} says: its method, URI, header fields and
 *       body mode, with its timeout on the response head; the client's own redirect following,
 *       retries, authentication and caching are off (the adapter refuses a client where they
 *       cannot be switched off);</li>
 *   <li>{@link #send} returns, and {@link #sendAsync} completes, as soon as the response head has
 *       arrived, with the body unread; a failure before that is thrown (or completes the future
 *       exceptionally) as the client reported it;</li>
 *   <li>cancelling the future of {@link #sendAsync} aborts the exchange in flight and releases its
 *       connection, whenever it happens.</li>
 * </ul>
 *
 * <p>One transport serves one call (it may hold the caller's request body and body handler);
 * the engine calls it from one thread at a time.
 *
 * @param <R> the client's response type, as the caller gets it
 */
public interface Transport<R> {

    /** Sends the attempt on the calling thread and returns once the head has arrived. */
    Exchange<R> send(Attempt attempt) throws IOException, InterruptedException;

    /**
     * Sends the attempt on the calling thread through the client's own blocking send, handing
     * the head to {@code onHead} as soon as it arrives (on whatever thread the client reports it)
     * and returning when the client's send returns. {@code onHead} never blocks: it only says
     * what the body is for (it calls one of the exchange's methods, or leaves the body held while
     * a credential refresh runs elsewhere). For a client whose blocking send returns only once
     * the body is consumed (java.net.http), this is what keeps the synchronous path on the
     * client's fast blocking send; the default is {@link #send} followed by {@code onHead}.
     *
     * <p>A failure thrown after {@code onHead} was called belongs to the body, which the exchange
     * reports through its own futures; the engine then ignores what this method throws.
     */
    default void send(Attempt attempt, java.util.function.Consumer<Exchange<R>> onHead)
            throws IOException, InterruptedException {
        onHead.accept(send(attempt));
    }

    /** Sends the attempt without blocking; completes once the head has arrived. */
    CompletableFuture<Exchange<R>> sendAsync(Attempt attempt);

    /**
     * Waits for {@code future} on the calling thread, for an adapter whose blocking {@link #send}
     * is its {@link #sendAsync} waited for (or that waits on its client's own future): an
     * interrupt cancels the future, and so the exchange (and is thrown), and the future's failure
     * is thrown as it is (an {@code IOException}, a runtime exception, an error), anything else
     * wrapped in an {@code IOException}.
     */
    static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /** What a failure of this client means for the decision: its kind, and a secret-free detail. */
    TransportFailure classify(Throwable error);
}
