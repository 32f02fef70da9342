package io.statuspolicy.apache5;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.http.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecRuntime;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * One attempt of an async call: the callback the rest of the chain reports to, and, once the head
 * has arrived, the engine's {@link Exchange}. The body is held (what arrives before the engine
 * decides is kept, and no more is asked for) until the engine attaches its target: the caller's
 * consumer, a bounded discard, or a bounded keep. The attempt ends with {@code completed} or
 * {@code failed}; only then may the next attempt use the connection.
 *
 * <p>Callbacks come on the client's I/O threads; {@link #abort} from any thread.
 */
final class AsyncExchange implements Exchange<Void>, AsyncExecCallback {
    private final CompletableFuture<Exchange<Void>> head;
    private final Dependency dependency = new Dependency();
    private final AsyncExecRuntime runtime;
    private final AsyncExecCallback caller;
    private final int bufferLimit;
    private final URI uri;
    /** Completes when this attempt is over, whichever way: the next one may then start. */
    final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Held held = new Held();
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile HttpResponse response;
    private volatile EntityDetails details;
    private volatile Exception failure;
    private Map<String, List<String>> fields;

    AsyncExchange(CompletableFuture<Exchange<Void>> head, AsyncExecRuntime runtime, AsyncExecCallback caller,
            int bufferLimit, URI uri) {
        this.head = head;
        this.runtime = runtime;
        this.caller = caller;
        this.bufferLimit = bufferLimit;
        this.uri = uri;
    }

    /** What the rest of the chain sets its cancellable steps on, for this attempt only. */
    CancellableDependency dependency() {
        return dependency;
    }

    // ---- the chain's callback -------------------------------------------------------------------

    @Override
    public AsyncDataConsumer handleResponse(HttpResponse value, EntityDetails entity) {
        response = value;
        details = entity;
        if (!head.complete(this)) {
            abort(); // the attempt was cancelled while its head arrived
            return null;
        }
        return entity == null ? null : held;
    }

    @Override
    public void handleInformationResponse(HttpResponse informational) {
        // 1xx responses are the connection's business; the policy decides on final responses only
    }

    @Override
    public void completed() {
        finished.complete(null);
    }

    @Override
    public void failed(Exception cause) {
        failure = cause;
        runtime.discardEndpoint(); // the connection is in no state to be reused
        finished.complete(null);
        if (!head.isDone()) {
            head.completeExceptionally(cause);
        }
    }

    // ---- the engine's exchange ------------------------------------------------------------------

    @Override
    public int status() {
        return response.getCode();
    }

    @Override
    public List<String> headerValues(String name) {
        return Messages.values(response, name);
    }

    @Override
    public Map<String, List<String>> headers() {
        if (fields == null) {
            fields = Messages.responseFields(response);
        }
        return fields;
    }

    @Override
    public CompletableFuture<Void> deliver(BodyTap tap, long deadlineMillis) {
        once();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        Timers.Entry timer = Timers.after(deadlineMillis, this::expire);
        delivered.whenComplete((ignored, error) -> Timers.cancel(timer));
        if (details == null) {
            whenFinished(delivered, () -> {
                caller.handleResponse(response, null);
                if (tap != null) {
                    tap.onComplete();
                }
            }, false);
            return delivered;
        }
        long length = details.getContentLength();
        if (length >= 0 && length <= bufferLimit && !details.isChunked()) {
            // A short body is read whole first, so a break is a failed attempt the caller never saw.
            Collector body = new Collector(Integer.MAX_VALUE);
            held.attach(body);
            whenFinished(delivered, () -> {
                byte[] bytes = body.bytes();
                if (tap != null) {
                    tap.onBytes(ByteBuffer.wrap(bytes));
                    tap.onComplete();
                }
                feed(caller, response, details, bytes);
            }, false);
            return delivered;
        }
        AsyncDataConsumer consumer;
        try {
            consumer = caller.handleResponse(response, details);
        } catch (HttpException | IOException | RuntimeException e) {
            abort();
            return CompletableFuture.failedFuture(e);
        }
        held.attach(consumer == null ? new Collector(0) : tap == null ? consumer : new Tee(consumer, tap));
        whenFinished(delivered, () -> {
            if (tap != null) {
                tap.onComplete();
            }
        }, true);
        return delivered;
    }

    /** When the attempt is over: on success runs {@code then} and completes; on a failure fails as a body failure. */
    private void whenFinished(CompletableFuture<Void> delivered, ThrowingRunnable then, boolean callerSawBody) {
        finished.whenComplete((ignored, error) -> {
            Exception broke = failure;
            if (broke != null) {
                delivered.completeExceptionally(new BodyFailure(explain(broke), callerSawBody));
                return;
            }
            try {
                then.run();
                delivered.complete(null);
            } catch (Exception e) {
                delivered.completeExceptionally(e);
            }
        });
    }

    @Override
    public CompletableFuture<Void> deliverStored(int status, Map<String, List<String>> headers, byte[] body) {
        once();
        throwAway();
        CompletableFuture<Void> delivered = new CompletableFuture<>();
        finished.whenComplete((ignored, error) -> {
            try {
                BasicHttpResponse stored = new BasicHttpResponse(status);
                Messages.setFields(stored, headers);
                feed(caller, stored, new BasicEntityDetails(body.length, Messages.contentType(headers)), body);
                delivered.complete(null);
            } catch (Exception e) {
                delivered.completeExceptionally(e);
            }
        });
        return delivered;
    }

    /** Hands a whole, already-read body to a consumer, as the transport would. */
    private static void feed(AsyncExecCallback to, HttpResponse head, EntityDetails entity, byte[] bytes)
            throws HttpException, IOException {
        AsyncDataConsumer consumer = to.handleResponse(head, entity);
        if (consumer != null) {
            consumer.updateCapacity(increment -> { });
            if (bytes.length > 0) {
                consumer.consume(ByteBuffer.wrap(bytes));
            }
            consumer.streamEnd(null);
        }
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        return read(limit, timeoutMillis, true);
    }

    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            throwAway();
        }
    }

    private void throwAway() {
        read(ClassicExchange.DISCARD_BYTES, ClassicExchange.DISCARD_MILLIS, false);
    }

    /** Reads at most {@code limit} bytes within {@code millis}; beyond either the connection is closed. */
    private CompletableFuture<Kept> read(int limit, long millis, boolean collect) {
        if (details == null) {
            return finished.thenApply(ignored -> new Kept(null, false));
        }
        Collector body = new Collector(limit) {
            @Override
            void overflow() {
                abort(); // close, don't drain
            }
        };
        body.collect = collect;
        Timers.Entry timer = Timers.after(millis, this::abort);
        held.attach(body);
        return finished.handle((ignored, error) -> {
            Timers.cancel(timer);
            return new Kept(body.bytes(), failure != null || body.over);
        });
    }

    @Override
    public void abort() {
        dependency.cancel();
        if (!finished.isDone()) {
            runtime.discardEndpoint();
        }
    }

    private volatile boolean expired;

    private void expire() {
        expired = true;
        abort();
    }

    private IOException explain(Exception error) {
        if (expired) {
            SocketTimeoutException timeout = new SocketTimeoutException(
                    "the call's deadline passed while reading the response body of " + Redaction.uri(uri));
            timeout.initCause(error);
            return timeout;
        }
        return error instanceof IOException io ? io : new IOException(error);
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    // ---- the body ---------------------------------------------------------------------------------

    /**
     * The consumer the chain gets for every body: what arrives before a target is attached is kept
     * (no more than the connection's initial window, as no capacity is granted), then replayed.
     */
    private static final class Held implements AsyncDataConsumer {
        private AsyncDataConsumer target;
        private final List<ByteBuffer> pending = new ArrayList<>();
        private CapacityChannel channel;
        private boolean ended;
        private List<? extends Header> trailers;

        synchronized void attach(AsyncDataConsumer to) {
            target = to;
            try {
                for (ByteBuffer piece : pending) {
                    to.consume(piece);
                }
                pending.clear();
                if (channel != null) {
                    to.updateCapacity(channel);
                }
                if (ended) {
                    to.streamEnd(trailers);
                }
            } catch (HttpException | IOException | RuntimeException e) {
                // the target failed: the attempt fails as the connection closes under it
            }
        }

        @Override
        public synchronized void updateCapacity(CapacityChannel value) throws IOException {
            channel = value;
            if (target != null) {
                target.updateCapacity(value);
            }
        }

        @Override
        public synchronized void consume(ByteBuffer src) throws IOException {
            if (target != null) {
                target.consume(src);
            } else {
                ByteBuffer copy = ByteBuffer.allocate(src.remaining());
                copy.put(src).flip();
                pending.add(copy);
            }
        }

        @Override
        public synchronized void streamEnd(List<? extends Header> value) throws HttpException, IOException {
            if (target != null) {
                target.streamEnd(value);
            } else {
                ended = true;
                trailers = value;
            }
        }

        @Override
        public synchronized void releaseResources() {
            if (target != null) {
                target.releaseResources();
            }
        }
    }

    /** Reads a body into memory up to a limit (without a limit for a short body about to be delivered). */
    private static class Collector implements AsyncDataConsumer {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private long seen;
        boolean collect = true;
        volatile boolean over;

        Collector(int limit) {
            this.limit = limit;
        }

        void overflow() {
        }

        synchronized byte[] bytes() {
            return bytes.toByteArray();
        }

        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            channel.update(Integer.MAX_VALUE);
        }

        @Override
        public void consume(ByteBuffer src) {
            int n = src.remaining();
            synchronized (this) {
                if (collect && seen < limit) {
                    int take = (int) Math.min(n, limit - seen);
                    byte[] chunk = new byte[take];
                    src.get(chunk);
                    bytes.write(chunk, 0, take);
                }
                src.position(src.limit());
                seen += n;
            }
            if (seen > limit && !over) {
                over = true;
                overflow();
            }
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
        }

        @Override
        public void releaseResources() {
        }
    }

    /** The caller's consumer, with the tap seeing a copy of each piece first. */
    private static final class Tee implements AsyncDataConsumer {
        private final AsyncDataConsumer delegate;
        private final BodyTap tap;

        Tee(AsyncDataConsumer delegate, BodyTap tap) {
            this.delegate = delegate;
            this.tap = tap;
        }

        @Override
        public void updateCapacity(CapacityChannel channel) throws IOException {
            delegate.updateCapacity(channel);
        }

        @Override
        public void consume(ByteBuffer src) throws IOException {
            tap.onBytes(src.duplicate());
            delegate.consume(src);
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
            delegate.streamEnd(trailers);
        }

        @Override
        public void releaseResources() {
            delegate.releaseResources();
        }
    }

    /** The cancellable steps of this attempt (lease, connect, exchange), cancelled together on abort. */
    private static final class Dependency implements CancellableDependency {
        private Cancellable step;
        private boolean cancelled;

        @Override
        public void setDependency(Cancellable value) {
            boolean cancelNow;
            synchronized (this) {
                step = value;
                cancelNow = cancelled;
            }
            if (cancelNow && value != null) {
                value.cancel();
            }
        }

        @Override
        public synchronized boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean cancel() {
            Cancellable current;
            synchronized (this) {
                if (cancelled) {
                    return false;
                }
                cancelled = true;
                current = step;
            }
            if (current != null) {
                current.cancel();
            }
            return true;
        }
    }
}
