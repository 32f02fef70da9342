package io.statuspolicy.spring;

import io.statuspolicy.engine.BodyDeadline;
import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.DeadlinePassed;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.RawLocation;
import io.statuspolicy.http.Redaction;
import java.io.EOFException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.client.ClientResponse;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * One WebClient response whose head has arrived, its body not subscribed to, until the engine
 * says what it is for. Nothing here blocks: bodies are read on the connector's own signals, and
 * every bound (the deadline, the keep and discard limits) is a timer on the engine's shared
 * {@code DeadlineTimer}. The body is subscribed to once, by whichever of deliver, keep or
 * discard the engine calls; {@link #abort} cancels that subscription, or, when there is none
 * yet, subscribes and cancels at once, which makes the connector close the connection.
 */
final class WebClientExchange implements Exchange<ClientResponse> {
    /** A discarded body is read up to this many bytes, for this long, so a short one frees its connection for reuse. */
    static final int DISCARD_BYTES = 8 * 1024;
    static final long DISCARD_MILLIS = 300;

    private final ClientResponse response;
    private final int status;
    private final long bufferLimit;
    private final URI uri;
    private final AtomicBoolean used = new AtomicBoolean();
    private final AtomicBoolean aborted = new AtomicBoolean();
    private volatile BodyPrefix reading;
    private volatile BodyDeadline deadline = BodyDeadline.NONE;

    WebClientExchange(ClientResponse response, long bufferLimit, URI uri) {
        this.response = response;
        this.status = response.statusCode().value();
        this.bufferLimit = bufferLimit;
        this.uri = uri;
    }

    @Override
    public int status() {
        return status;
    }

    /** Location as the server sent its bytes: Reactor Netty and the JDK client read each header byte as one character. */
    @Override
    public List<String> headerValues(String name) {
        List<String> values = response.headers().header(name);
        return name.equalsIgnoreCase("Location") ? RawLocation.encodeAll(values) : List.copyOf(values);
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().asHttpHeaders().forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return copy;
    }

    private Flux<DataBuffer> body() {
        return response.body(BodyExtractors.toDataBuffers());
    }

    @Override
    public CompletableFuture<ClientResponse> deliver(BodyTap tap, long deadlineMillis) {
        once();
        long declared = response.headers().contentLength().orElse(-1);
        boolean buffer = bufferLimit > 0 && (declared < 0 || declared <= bufferLimit);
        long due = deadlineMillis == Long.MAX_VALUE ? Long.MAX_VALUE
                : System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
        if (!buffer) {
            return CompletableFuture.completedFuture(streamed(body(), tap, due));
        }
        BodyPrefix read = BodyPrefix.read(body(), bufferLimit);
        reading = read;
        BodyDeadline guard = BodyDeadline.arm(deadlineMillis, read::stop);
        deadline = guard;
        if (aborted.get()) {
            read.cancel();
        }
        return read.done().handle((prefix, error) -> delivered(prefix, error, guard, declared, tap, due))
                .thenCompose(result -> result);
    }

    private CompletableFuture<ClientResponse> delivered(BodyPrefix prefix, Throwable error, BodyDeadline guard,
            long declared, BodyTap tap, long due) {
        if (error != null) {
            guard.disarm();
            return CompletableFuture.failedFuture(new BodyFailure(error, false));
        }
        if (guard.passed()) {
            prefix.cancel();
            return CompletableFuture.failedFuture(new BodyFailure(new DeadlinePassed("the call's deadline passed "
                    + "while reading the response body of " + Redaction.uri(uri), null), false));
        }
        if (prefix.ended()) {
            guard.disarm();
            long size = prefix.size();
            byte[] bytes = prefix.bytes(size);
            if (declared >= 0 && size < declared) {
                // A connector that ends a fixed-length body cut off by the server as if it were
                // whole: fewer bytes than Content-Length is a broken body (RFC 9112 §8).
                return CompletableFuture.failedFuture(new BodyFailure(new EOFException("the body ended after "
                        + size + " of " + declared + " bytes"), false));
            }
            if (tap != null) {
                tap.onBytes(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
                tap.onComplete();
            }
            return CompletableFuture.completedFuture(response.mutate()
                    .body(unread -> Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(bytes))))
                    .build());
        }
        // Past the limit: what was read, then the rest, streamed under the same deadline.
        guard.disarm();
        Flux<DataBuffer> whole = Flux.concat(Flux.fromIterable(prefix.takePieces()), prefix.rest());
        return CompletableFuture.completedFuture(streamed(whole, tap, due));
    }

    /** The response with {@code body} handed on as a stream: the tap sees each piece; the deadline stops it. */
    private ClientResponse streamed(Flux<DataBuffer> body, BodyTap tap, long due) {
        Flux<DataBuffer> guarded = body;
        if (tap != null) {
            guarded = guarded.doOnNext(piece -> {
                int n = piece.readableByteCount();
                ByteBuffer copy = ByteBuffer.allocate(n);
                piece.toByteBuffer(piece.readPosition(), copy, 0, n);
                tap.onBytes(copy.asReadOnlyBuffer());
            }).doOnComplete(tap::onComplete);
        }
        if (due != Long.MAX_VALUE) {
            Flux<DataBuffer> source = guarded;
            guarded = Flux.defer(() -> {
                Sinks.One<Boolean> expired = Sinks.one();
                long left = Math.max(0, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()));
                BodyDeadline guard = BodyDeadline.arm(left, () -> expired.tryEmitValue(Boolean.TRUE));
                deadline = guard;
                return source.timeout(expired.asMono(), piece -> expired.asMono())
                        .onErrorMap(java.util.concurrent.TimeoutException.class, e -> new DeadlinePassed(
                                "the call's deadline passed while reading the response body of " + Redaction.uri(uri), e))
                        .doFinally(signal -> guard.disarm());
            });
        }
        Flux<DataBuffer> handedOn = guarded;
        return response.mutate().body(unread -> handedOn).build();
    }

    @Override
    public CompletableFuture<ClientResponse> deliverStored(int storedStatus, Map<String, List<String>> headers,
            byte[] stored) {
        once();
        throwAway();
        return CompletableFuture.completedFuture(response.mutate()
                .statusCode(HttpStatusCode.valueOf(storedStatus))
                .headers(fields -> {
                    fields.clear();
                    headers.forEach(fields::addAll);
                })
                .body(unread -> Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(stored))))
                .build());
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        BodyPrefix read = BodyPrefix.read(body(), limit);
        reading = read;
        BodyDeadline guard = BodyDeadline.arm(timeoutMillis, read::stop);
        deadline = guard;
        if (aborted.get()) {
            read.cancel();
        }
        return read.done().handle((prefix, error) -> {
            guard.disarm();
            if (error != null) {
                return new Kept(new byte[0], true); // what had arrived is released with the failed read
            }
            boolean whole = prefix.ended() && prefix.size() <= limit;
            byte[] bytes = prefix.bytes(limit);
            if (!prefix.ended()) {
                prefix.cancel(); // past the limit or the time: the connection is closed, not drained
            }
            return new Kept(bytes, !whole);
        });
    }

    /**
     * Reads at most {@value #DISCARD_BYTES} bytes of the body for at most {@value #DISCARD_MILLIS}
     * ms (a short body then leaves its connection reusable), and cancels it otherwise, which
     * closes the connection. Never waits for the body: the call goes on at once.
     */
    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            throwAway();
        }
    }

    private void throwAway() {
        BodyPrefix read = BodyPrefix.read(body(), DISCARD_BYTES);
        reading = read;
        BodyDeadline guard = BodyDeadline.arm(DISCARD_MILLIS, read::stop);
        read.done().whenComplete((prefix, error) -> {
            guard.disarm();
            if (prefix != null) {
                if (prefix.ended()) {
                    prefix.bytes(0);
                } else {
                    prefix.cancel();
                }
            }
        });
    }

    @Override
    public void abort() {
        if (!aborted.compareAndSet(false, true)) {
            return;
        }
        deadline.disarm();
        BodyPrefix read = reading;
        if (read != null) {
            read.cancel();
        } else if (used.compareAndSet(false, true)) {
            close(body());
        }
    }

    /** Subscribes to a body and cancels at once: the connector closes the connection under it. */
    static void close(Flux<DataBuffer> body) {
        body.subscribe(new BaseSubscriber<DataBuffer>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
                subscription.cancel();
            }

            @Override
            protected void hookOnNext(DataBuffer piece) {
                DataBufferUtils.release(piece);
            }

            @Override
            protected void hookOnError(Throwable error) {
                // the body is thrown away
            }
        });
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }
}
