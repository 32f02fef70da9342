package io.statuspolicy.jdk;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * A request's body as the executor sees it: absent, replayable (it can be sent again byte for
 * byte), or one-shot (it can be sent once).
 *
 * <p>The JDK's own array, string, file and empty publishers are replayable as they are. Any
 * other publisher (an input stream, a custom publisher) is read into memory up to a limit:
 * within the limit it becomes replayable; beyond it, the request goes out once, with the bytes
 * read so far followed by the rest of the stream, and is never repeated.
 */
final class RequestBody {
    private static final String JDK_PUBLISHERS = "jdk.internal.net.http.RequestPublishers$";

    private final BodyPublisher original;
    private final byte[] buffered;
    private final BodyPublisher oneShot;
    private final boolean lengthKnown;
    private final long length;

    private RequestBody(BodyPublisher original, byte[] buffered, BodyPublisher oneShot, boolean lengthKnown) {
        this.original = original;
        this.buffered = buffered;
        this.oneShot = oneShot;
        this.lengthKnown = lengthKnown;
        this.length = original == null ? 0 : original.contentLength();
    }

    static final RequestBody NONE = new RequestBody(null, null, null, true);

    /** Looks at the request's publisher, reading it into memory when that is needed to replay it. */
    static CompletableFuture<RequestBody> of(HttpRequest request, long bufferLimit) {
        BodyPublisher publisher = request.bodyPublisher().orElse(null);
        if (publisher == null || publisher.contentLength() == 0) {
            return CompletableFuture.completedFuture(NONE);
        }
        if (isReplayableAsIs(publisher)) {
            return CompletableFuture.completedFuture(new RequestBody(publisher, null, null, true));
        }
        return new Capture(publisher, bufferLimit).start();
    }

    /** What {@link #of} completes with at once, for a request that {@link #immediate} says needs nothing read. */
    static RequestBody now(HttpRequest request) {
        BodyPublisher publisher = request.bodyPublisher().orElse(null);
        return publisher == null || publisher.contentLength() == 0 ? NONE : new RequestBody(publisher, null, null, true);
    }

    /** Whether {@link #of} completes at once (no body, or one replayable as it is): nothing to read first. */
    static boolean immediate(HttpRequest request) {
        BodyPublisher publisher = request.bodyPublisher().orElse(null);
        return publisher == null || publisher.contentLength() == 0 || isReplayableAsIs(publisher);
    }

    /** The JDK re-subscribes these itself (on its own redirects and retries): they replay. */
    private static boolean isReplayableAsIs(BodyPublisher publisher) {
        String name = publisher.getClass().getName();
        return name.equals(JDK_PUBLISHERS + "ByteArrayPublisher")
                || name.equals(JDK_PUBLISHERS + "StringPublisher")
                || name.equals(JDK_PUBLISHERS + "FilePublisher")
                || name.equals(JDK_PUBLISHERS + "EmptyPublisher");
    }

    boolean present() {
        return original != null;
    }

    boolean replayable() {
        return oneShot == null;
    }

    /** Whether the first attempt announces a Content-Length (otherwise it is sent chunked). */
    boolean lengthKnown() {
        return lengthKnown;
    }

    /** The publisher for the next attempt; {@code withLength} forces a Content-Length (after a 411). */
    BodyPublisher publisher(boolean withLength) {
        if (original == null) {
            return BodyPublishers.noBody();
        }
        if (oneShot != null) {
            return oneShot;
        }
        if (buffered == null) {
            return original;
        }
        BodyPublisher bytes = BodyPublishers.ofByteArray(buffered);
        if (withLength || lengthKnown) {
            return bytes;
        }
        // Keep the caller's framing (chunked) until a server asks for a length.
        return BodyPublishers.fromPublisher(bytes);
    }

    /** Reads a publisher up to the limit. */
    private static final class Capture implements Flow.Subscriber<ByteBuffer> {
        private final BodyPublisher source;
        private final long limit;
        private final CompletableFuture<RequestBody> done = new CompletableFuture<>();
        private final List<ByteBuffer> prefix = new ArrayList<>();
        private long size;
        private Flow.Subscription subscription;
        private SpillPublisher spill;

        Capture(BodyPublisher source, long limit) {
            this.source = source;
            this.limit = limit;
        }

        CompletableFuture<RequestBody> start() {
            source.subscribe(this);
            return done;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ByteBuffer item) {
            SpillPublisher handedOver;
            synchronized (this) {
                handedOver = spill;
                if (handedOver == null) {
                    ByteBuffer copy = ByteBuffer.allocate(item.remaining());
                    copy.put(item).flip();
                    prefix.add(copy);
                    size += copy.remaining();
                    if (size > limit) {
                        spill = new SpillPublisher(prefix, subscription, source.contentLength());
                        done.complete(new RequestBody(source, null, spill, source.contentLength() >= 0));
                        return;
                    }
                }
            }
            if (handedOver != null) {
                handedOver.forward(item);
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            SpillPublisher handedOver;
            synchronized (this) {
                handedOver = spill;
            }
            if (handedOver != null) {
                handedOver.fail(error);
            } else {
                done.completeExceptionally(new java.io.IOException("reading the request body failed: " + error, error));
            }
        }

        @Override
        public void onComplete() {
            SpillPublisher handedOver;
            synchronized (this) {
                handedOver = spill;
                if (handedOver == null) {
                    byte[] bytes = new byte[(int) size];
                    int offset = 0;
                    for (ByteBuffer buffer : prefix) {
                        int n = buffer.remaining();
                        buffer.get(bytes, offset, n);
                        offset += n;
                    }
                    done.complete(new RequestBody(source, bytes, null, source.contentLength() >= 0));
                    return;
                }
            }
            handedOver.finish();
        }
    }

    /**
     * A one-shot publisher: the bytes already read, then the rest of the source. It can be
     * subscribed once; a second subscriber gets an error instead of a truncated body.
     */
    private static final class SpillPublisher implements BodyPublisher {
        private final List<ByteBuffer> prefix;
        private final Flow.Subscription upstream;
        private final long length;
        private Flow.Subscriber<? super ByteBuffer> downstream;
        private long demand;
        private int next;
        private boolean upstreamDone;
        private Throwable upstreamError;
        private boolean terminated;

        SpillPublisher(List<ByteBuffer> prefix, Flow.Subscription upstream, long length) {
            this.prefix = new ArrayList<>(prefix);
            this.upstream = upstream;
            this.length = length;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            synchronized (this) {
                if (downstream != null) {
                    subscriber.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                        }

                        @Override
                        public void cancel() {
                        }
                    });
                    subscriber.onError(new IllegalStateException(
                            "this request body is a stream beyond the replay buffer and was sent already"));
                    return;
                }
                downstream = subscriber;
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    drain(n);
                }

                @Override
                public void cancel() {
                    synchronized (SpillPublisher.this) {
                        terminated = true;
                    }
                    upstream.cancel();
                }
            });
        }

        private void drain(long n) {
            List<ByteBuffer> emit = new ArrayList<>();
            boolean askUpstream = false;
            boolean complete = false;
            Throwable error = null;
            synchronized (this) {
                if (terminated) {
                    return;
                }
                demand += n;
                while (demand > 0 && next < prefix.size()) {
                    emit.add(prefix.get(next++));
                    demand--;
                }
                if (next >= prefix.size()) {
                    if (upstreamError != null) {
                        error = upstreamError;
                        terminated = true;
                    } else if (upstreamDone) {
                        complete = true;
                        terminated = true;
                    } else if (demand > 0) {
                        askUpstream = true;
                    }
                }
            }
            for (ByteBuffer buffer : emit) {
                downstream.onNext(buffer);
            }
            if (error != null) {
                downstream.onError(error);
            } else if (complete) {
                downstream.onComplete();
            } else if (askUpstream) {
                upstream.request(1);
            }
        }

        void forward(ByteBuffer item) {
            Flow.Subscriber<? super ByteBuffer> target;
            boolean more;
            synchronized (this) {
                if (downstream == null || next < prefix.size()) {
                    prefix.add(item); // not asked for yet; keep it in order
                    return;
                }
                target = downstream;
                demand--;
                more = demand > 0;
            }
            target.onNext(item);
            if (more) {
                upstream.request(1);
            }
        }

        void finish() {
            drainTerminal(null);
        }

        void fail(Throwable error) {
            drainTerminal(error);
        }

        private void drainTerminal(Throwable error) {
            Flow.Subscriber<? super ByteBuffer> target = null;
            synchronized (this) {
                upstreamDone = error == null;
                upstreamError = error;
                if (downstream != null && next >= prefix.size() && !terminated) {
                    terminated = true;
                    target = downstream;
                }
            }
            if (target != null) {
                if (error != null) {
                    target.onError(error);
                } else {
                    target.onComplete();
                }
            }
        }
    }
}
