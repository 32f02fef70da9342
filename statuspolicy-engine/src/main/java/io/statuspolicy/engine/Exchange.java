package io.statuspolicy.engine;

import io.statuspolicy.decision.ResponseFacts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One response whose head has arrived and whose body is still unread: what an adapter's
 * {@link Transport} returns for each attempt. The engine decides on the head, then calls exactly
 * one of {@link #deliver}, {@link #deliverStored}, {@link #keep} or {@link #discard}, once, so
 * the connection under it is always released. {@link #abort} may come at any time (a cancel).
 *
 * <p>Header look-ups ({@link #headerValues}) ignore the case of the name. Threads: the engine
 * calls it from one driver thread at a time, except {@link #abort}, which may come from any
 * thread at any moment (a cancel) and must be safe beside every other method.
 *
 * @param <R> the client's response type
 */
public interface Exchange<R> extends ResponseFacts {

    /** Every header field of the response, for storing it; names in any case. */
    Map<String, List<String>> headers();

    /**
     * Hands the response to the caller: runs the caller's body handling (or returns the response
     * with its body unread, for a client that streams), with {@code tap} (when not null) seeing a
     * copy of the body, and fails the body when it is not over within {@code deadlineMillis}
     * (when below {@link Long#MAX_VALUE}). Completes when the caller's response is ready; fails
     * with a {@link BodyFailure} when the body broke first.
     */
    CompletableFuture<R> deliver(BodyTap tap, long deadlineMillis);

    /**
     * Hands the caller a response made of stored parts instead of this one (a stored copy
     * answering this 304). This exchange's own body is thrown away.
     */
    CompletableFuture<R> deliverStored(int status, Map<String, List<String>> headers, byte[] body);

    /**
     * Reads at most {@code limit} bytes of the body within {@code timeoutMillis}, then releases the
     * connection (closing it when the body was not over). Completes with the bytes read and never
     * fails: a body that breaks or takes too long completes with what had arrived.
     */
    CompletableFuture<Kept> keep(int limit, long timeoutMillis);

    /**
     * Throws the response away without blocking: reads at most a small bound of the body (a few
     * KiB, a few hundred milliseconds) so that a short body lets the connection be reused, and
     * closes the connection otherwise. Never throws.
     */
    void discard();

    /** Stops the exchange at once and releases its connection (the call was cancelled). Never throws. */
    void abort();

    /** What {@link #keep} read: a bounded, already-read body that holds no connection. */
    record Kept(byte[] body, boolean truncated) {
        public Kept {
            body = body == null ? new byte[0] : body;
        }
    }
}
