package io.statuspolicy.engine;

import java.nio.ByteBuffer;

/**
 * Sees a copy of a returned response's body as it streams to the caller, so that the engine can
 * store it for later conditional requests. An adapter passes every piece of the body to
 * {@link #onBytes} (without consuming the buffer) and calls {@link #onComplete} once when the
 * body ended whole; it calls nothing more when the body fails.
 *
 * <p>Called by one thread at a time, in order.
 */
public interface BodyTap {

    /** The next piece of the body; read it without changing its position. */
    void onBytes(ByteBuffer piece);

    /** The body ended whole. */
    void onComplete();
}
