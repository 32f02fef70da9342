package io.statuspolicy.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import reactor.core.publisher.Flux;

/**
 * Reads the first bytes of a body publisher, up to a limit, one piece at a time, and hands on
 * the rest unread on the same subscription. {@link #read} completes when the body ended within
 * the limit, when it went past it (the piece that crossed it is kept; nothing more is requested
 * until {@link #rest} is subscribed), or when {@link #stop} was called; it fails when the body
 * broke first. Used for the request body the WebClient filter captures, the response bodies it
 * buffers, keeps and discards. Holds no thread: every step runs on the publisher's signals.
 */
final class BodyPrefix implements Subscriber<DataBuffer> {
    private final long limit;
    private final CompletableFuture<BodyPrefix> done = new CompletableFuture<>();
    /** Guarded by {@code this}. */
    private final List<DataBuffer> pieces = new ArrayList<>();
    private long size;
    private boolean ended;
    private boolean stopped;
    private boolean released;
    private Subscription upstream;
    private Subscriber<? super DataBuffer> downstream;
    private Throwable pendingError;
    private boolean pendingComplete;

    private BodyPrefix(long limit) {
        this.limit = limit;
    }

    /** Starts reading {@code body}: at most {@code limit} bytes (and the piece that crosses it). */
    static BodyPrefix read(Publisher<? extends DataBuffer> body, long limit) {
        BodyPrefix prefix = new BodyPrefix(limit);
        body.subscribe(prefix);
        return prefix;
    }

    /** Completes once the prefix is read (or {@link #stop} was called); fails when the body broke. */
    CompletableFuture<BodyPrefix> done() {
        return done;
    }

    @Override
    public void onSubscribe(Subscription subscription) {
        boolean cancel;
        synchronized (this) {
            upstream = subscription;
            cancel = stopped;
        }
        if (cancel) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(DataBuffer piece) {
        Subscriber<? super DataBuffer> to;
        boolean more = false;
        boolean full = false;
        synchronized (this) {
            to = downstream;
            if (to == null) {
                if (stopped || released) {
                    DataBufferUtils.release(piece);
                    return;
                }
                pieces.add(piece);
                size += piece.readableByteCount();
                full = size > limit;
                more = !full;
            }
        }
        if (to != null) {
            to.onNext(piece);
        } else if (more) {
            upstream.request(1);
        } else if (full) {
            done.complete(this);
        }
    }

    @Override
    public void onError(Throwable error) {
        Subscriber<? super DataBuffer> to;
        synchronized (this) {
            to = downstream;
            if (to == null) {
                if (!done.isDone()) {
                    releasePieces();
                } else {
                    pendingError = error; // past the limit: the rest's subscriber gets it
                    return;
                }
            }
        }
        if (to != null) {
            to.onError(error);
        } else {
            done.completeExceptionally(error);
        }
    }

    @Override
    public void onComplete() {
        Subscriber<? super DataBuffer> to;
        synchronized (this) {
            to = downstream;
            if (to == null) {
                if (done.isDone()) {
                    pendingComplete = true;
                    return;
                }
                ended = true;
            }
        }
        if (to != null) {
            to.onComplete();
        } else {
            done.complete(this);
        }
    }

    /** Whether the whole body was read (it ended within the limit). */
    synchronized boolean ended() {
        return ended;
    }

    /** How many bytes were read. */
    synchronized long size() {
        return size;
    }

    /**
     * Stops reading now: the subscription is cancelled (a network body's connection is then
     * closed, not reused) and {@link #done} completes with what had arrived.
     */
    void stop() {
        Subscription subscription;
        synchronized (this) {
            if (stopped || downstream != null) {
                return;
            }
            stopped = true;
            subscription = upstream;
        }
        if (subscription != null) {
            subscription.cancel();
        }
        done.complete(this);
    }

    /** Stops reading and releases what was read: nothing of this body is used any more. */
    void cancel() {
        Subscription subscription;
        synchronized (this) {
            releasePieces();
            subscription = upstream;
            stopped = true;
        }
        if (subscription != null) {
            subscription.cancel();
        }
        done.completeExceptionally(new CancellationException("the body is no longer wanted"));
    }

    /** The bytes read, at most {@code max} of them; the pieces are released. */
    synchronized byte[] bytes(long max) {
        int length = (int) Math.min(size, max);
        byte[] bytes = new byte[length];
        int at = 0;
        for (DataBuffer piece : pieces) {
            int n = Math.min(piece.readableByteCount(), length - at);
            if (n > 0) {
                piece.read(bytes, at, n);
                at += n;
            }
        }
        releasePieces();
        return bytes;
    }

    /** The pieces read, each copied out, and released. */
    synchronized List<byte[]> chunks() {
        List<byte[]> chunks = new ArrayList<>(pieces.size());
        for (DataBuffer piece : pieces) {
            byte[] bytes = new byte[piece.readableByteCount()];
            piece.read(bytes);
            chunks.add(bytes);
        }
        releasePieces();
        return chunks;
    }

    /** The pieces read, handed over as they are (the caller releases them). */
    synchronized List<DataBuffer> takePieces() {
        List<DataBuffer> taken = new ArrayList<>(pieces);
        pieces.clear();
        return taken;
    }

    private void releasePieces() {
        released = true;
        for (DataBuffer piece : pieces) {
            DataBufferUtils.release(piece);
        }
        pieces.clear();
    }

    /**
     * The rest of the body after the prefix, on the same subscription: once only. Empty when the
     * body ended within the limit.
     */
    Flux<DataBuffer> rest() {
        return Flux.from(subscriber -> {
            Throwable error;
            boolean complete;
            synchronized (this) {
                if (downstream != null) {
                    subscriber.onSubscribe(NOTHING);
                    subscriber.onError(new IllegalStateException("the rest of this body was already subscribed to"));
                    return;
                }
                downstream = subscriber;
                error = pendingError;
                complete = pendingComplete || ended;
            }
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    Subscription s = upstream;
                    if (s != null && !complete && error == null) {
                        s.request(n);
                    }
                }

                @Override
                public void cancel() {
                    Subscription s = upstream;
                    if (s != null) {
                        s.cancel();
                    }
                }
            });
            if (error != null) {
                subscriber.onError(error);
            } else if (complete) {
                subscriber.onComplete();
            }
        });
    }

    private static final Subscription NOTHING = new Subscription() {
        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    };
}
