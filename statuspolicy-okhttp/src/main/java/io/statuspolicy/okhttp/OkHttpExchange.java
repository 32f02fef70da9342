package io.statuspolicy.okhttp;

import io.statuspolicy.engine.DeadlinePassed;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.http.Redaction;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;

/**
 * One OkHttp response whose head has arrived, its body unread, until the engine says what it is
 * for. The body is handed on as OkHttp hands it (a stream the caller reads), or, when the adapter
 * buffers bodies, read here first so that a body that breaks is a failed attempt the policy can
 * retry rather than an exception in the caller's hands.
 */
final class OkHttpExchange implements Exchange<Response> {
    private final Response response;
    private final Call call;
    private final Deadline head;
    private final long bufferLimit;
    private final Response prior;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile Deadline body = Deadline.NONE;
    /** Whether a thread of ours is reading the body (deliver, keep); guarded by {@code this}. */
    private boolean reading;
    /** Whether the exchange was aborted; guarded by {@code this}. */
    private boolean aborted;

    /**
     * @param response    the response as the server sent it (see {@link HeadGuard#restore})
     * @param call        the OkHttp call the response belongs to, cancelled to abort it
     * @param head        the deadline armed for the attempt; disarmed when the body's own takes over
     * @param bufferLimit read bodies of at most this many bytes before handing them on; 0 to stream
     * @param prior       the previous response of this call, without its body, or null
     */
    OkHttpExchange(Response response, Call call, Deadline head, long bufferLimit, Response prior) {
        this.response = response;
        this.call = call;
        this.head = head;
        this.bufferLimit = bufferLimit;
        this.prior = prior;
    }

    @Override
    public int status() {
        return response.code();
    }

    @Override
    public List<String> headerValues(String name) {
        return response.headers(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        return response.headers().toMultimap();
    }

    /** This response without its body, as the previous one of the next attempt's. */
    Response withoutBody() {
        return response.newBuilder().body(ResponseBody.EMPTY).priorResponse(prior).build();
    }

    @Override
    public CompletableFuture<Response> deliver(BodyTap tap, long deadlineMillis) {
        once();
        // The deadline armed for the head is the call's, which is also the body's: it carries on
        // (one timer per attempt), unless the call has no deadline.
        Deadline deadline = head;
        if (head == Deadline.NONE || deadlineMillis == Long.MAX_VALUE) {
            head.disarm();
            deadline = Deadline.arm(call, deadlineMillis);
        }
        body = deadline;
        ResponseBody original = response.body();
        if (bufferLimit > 0 && original.contentLength() <= bufferLimit) {
            Buffer read = new Buffer();
            if (!startReading()) {
                deadline.disarm();
                return CompletableFuture.failedFuture(new BodyFailure(new IOException("Canceled"), false));
            }
            try {
                BufferedSource source = original.source();
                while (read.size() <= bufferLimit && source.read(read, 8192) != -1) {
                    // read on until the end, or past the limit
                }
            } catch (IOException e) {
                deadline.disarm();
                closeQuietly(original);
                return CompletableFuture.failedFuture(new BodyFailure(explained(e, deadline), false));
            } finally {
                stopReading();
            }
            if (read.size() <= bufferLimit) { // the whole body, within the limit
                deadline.disarm();
                closeQuietly(original);
                if (tap != null) {
                    tap.onBytes(ByteBuffer.wrap(read.snapshot().toByteArray()));
                    tap.onComplete();
                }
                return CompletableFuture.completedFuture(handedOn(ResponseBody.create(read.readByteArray(),
                        original.contentType())));
            }
            return CompletableFuture.completedFuture(handedOn(new GuardedBody(original, read, tap, deadline)));
        }
        return CompletableFuture.completedFuture(handedOn(new GuardedBody(original, null, tap, deadline)));
    }

    private Response handedOn(ResponseBody value) {
        return response.newBuilder().body(value).priorResponse(prior).build();
    }

    @Override
    public CompletableFuture<Response> deliverStored(int status, Map<String, List<String>> headers, byte[] stored) {
        once();
        head.disarm();
        closeQuietly(response.body());
        Headers.Builder fields = new Headers.Builder();
        headers.forEach((name, values) -> values.forEach(value -> fields.addUnsafeNonAscii(name, value)));
        Headers storedHeaders = fields.build();
        String type = storedHeaders.get("Content-Type");
        return CompletableFuture.completedFuture(response.newBuilder()
                .code(status)
                .message(status == 200 ? "OK" : "")
                .headers(storedHeaders)
                .body(ResponseBody.create(stored, type == null ? null : MediaType.parse(type)))
                .priorResponse(prior)
                .build());
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        head.disarm();
        Deadline deadline = Deadline.arm(call, timeoutMillis);
        body = deadline;
        Buffer read = new Buffer();
        boolean truncated = true;
        ResponseBody original = response.body();
        if (!startReading()) {
            deadline.disarm();
            return CompletableFuture.completedFuture(new Kept(new byte[0], true));
        }
        try {
            BufferedSource source = original.source();
            while (read.size() < limit && source.read(read, Math.min(8192, limit - read.size())) != -1) {
                // read on
            }
            truncated = read.size() >= limit ? !source.exhausted() : false;
        } catch (IOException e) {
            truncated = true; // what had arrived is kept
        } finally {
            deadline.disarm();
            closeQuietly(original);
            stopReading();
        }
        byte[] bytes = new byte[(int) Math.min(read.size(), limit)];
        read.read(bytes);
        return CompletableFuture.completedFuture(new Kept(bytes, truncated));
    }

    /**
     * Closes the body: OkHttp reads what is left of it for at most 100 ms so the connection can be
     * reused, and drops the connection when the body is not over by then.
     */
    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            head.disarm();
            closeQuietly(response.body());
        }
    }

    /**
     * Cancels the call, which makes a read in progress fail at once. The body is closed here only
     * when no thread of ours is reading it: OkHttp's sources are not safe to close from one thread
     * while another reads (the reader closes it itself when its read fails).
     */
    @Override
    public void abort() {
        call.cancel();
        head.disarm();
        body.disarm();
        boolean close;
        synchronized (this) {
            aborted = true;
            close = !reading;
        }
        if (close) {
            closeQuietly(response.body());
        }
    }

    /** Claims the body for a read of ours; false when the exchange was aborted first. */
    private synchronized boolean startReading() {
        if (aborted) {
            closeQuietly(response.body());
            return false;
        }
        reading = true;
        return true;
    }

    private synchronized void stopReading() {
        reading = false;
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }

    private IOException explained(IOException error, Deadline deadline) {
        if (!deadline.passed() && !head.passed()) {
            return error;
        }
        return new DeadlinePassed("the call's deadline passed while reading the response body of "
                + Redaction.uri(response.request().url().uri()), error);
    }

    static void closeQuietly(ResponseBody value) {
        try {
            value.close();
        } catch (RuntimeException ignored) {
            // closing a body never fails the call
        }
    }

    /**
     * The body as the caller reads it: whatever was read ahead first, then the rest from the
     * network; a copy of each piece to the tap; the deadline disarmed when the body ends or is
     * closed; a read that fails because the deadline passed says so.
     */
    private final class GuardedBody extends ResponseBody {
        private final ResponseBody original;
        private final BufferedSource source;

        GuardedBody(ResponseBody original, Buffer readAhead, BodyTap tap, Deadline deadline) {
            this.original = original;
            Source rest = original.source();
            Source from = readAhead == null ? rest : new ReadAheadSource(readAhead, rest);
            this.source = Okio.buffer(new ForwardingSource(from) {
                private boolean ended;

                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    long n;
                    try {
                        n = super.read(sink, byteCount);
                    } catch (IOException e) {
                        deadline.disarm();
                        throw explained(e, deadline);
                    }
                    if (n == -1) {
                        if (!ended) {
                            ended = true;
                            deadline.disarm();
                            if (tap != null) {
                                tap.onComplete();
                            }
                        }
                    } else if (tap != null && n > 0) {
                        Buffer copy = new Buffer();
                        sink.copyTo(copy, sink.size() - n, n);
                        tap.onBytes(ByteBuffer.wrap(copy.readByteArray()));
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    deadline.disarm();
                    super.close();
                }
            });
        }

        @Override
        public MediaType contentType() {
            return original.contentType();
        }

        @Override
        public long contentLength() {
            return original.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }
    }

    /** The bytes read ahead, then the rest. */
    private static final class ReadAheadSource implements Source {
        private final Buffer ahead;
        private final Source rest;

        ReadAheadSource(Buffer ahead, Source rest) {
            this.ahead = ahead;
            this.rest = rest;
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            if (ahead.size() > 0) {
                return ahead.read(sink, byteCount);
            }
            return rest.read(sink, byteCount);
        }

        @Override
        public Timeout timeout() {
            return rest.timeout();
        }

        @Override
        public void close() throws IOException {
            ahead.clear();
            rest.close();
        }
    }
}
