package io.statuspolicy.apache5;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.http.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;

/**
 * One classic response, head arrived, entity unread. The connection under it is released by
 * HttpClient when the entity is read to its end; anything else closes it
 * ({@link ExecRuntime#discardEndpoint()}), which is also how a deadline or an abort from another
 * thread stops a read in progress.
 */
final class ClassicExchange implements Exchange<ClassicHttpResponse> {
    /** A discarded body is read this far, for this long, so a short one frees its connection for reuse. */
    static final int DISCARD_BYTES = 16 * 1024;
    static final long DISCARD_MILLIS = 200;

    private final ClassicHttpResponse response;
    private final ExecRuntime runtime;
    private final int bufferLimit;
    private final URI uri;
    private final AtomicBoolean used = new AtomicBoolean();
    private Map<String, List<String>> fields;

    ClassicExchange(ClassicHttpResponse response, ExecRuntime runtime, int bufferLimit, URI uri) {
        this.response = response;
        this.runtime = runtime;
        this.bufferLimit = bufferLimit;
        this.uri = uri;
    }

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
    public CompletableFuture<ClassicHttpResponse> deliver(BodyTap tap, long deadlineMillis) {
        once();
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            if (tap != null) {
                tap.onComplete();
            }
            return CompletableFuture.completedFuture(response);
        }
        long length = entity.getContentLength();
        if (length >= 0 && length <= bufferLimit && !entity.isChunked()) {
            return readWhole(entity, tap, deadlineMillis);
        }
        if (tap != null || deadlineMillis != Long.MAX_VALUE) {
            response.setEntity(new WatchedEntity(entity, tap, deadlineMillis));
        }
        return CompletableFuture.completedFuture(response);
    }

    /**
     * A short body is read here, within the deadline, so a break is a failed attempt the caller
     * never saw (and may be retried); reading to its end releases the connection.
     */
    private CompletableFuture<ClassicHttpResponse> readWhole(HttpEntity entity, BodyTap tap, long deadlineMillis) {
        Deadline deadline = new Deadline(deadlineMillis);
        byte[] bytes;
        try (InputStream in = entity.getContent()) {
            bytes = readExactly(in, (int) entity.getContentLength());
        } catch (IOException | RuntimeException e) {
            abort();
            return CompletableFuture.failedFuture(new BodyFailure(deadline.explain(e), false));
        } finally {
            deadline.cancel();
        }
        if (tap != null) {
            tap.onBytes(ByteBuffer.wrap(bytes));
            tap.onComplete();
        }
        response.setEntity(new ByteArrayEntity(bytes, contentType(entity), entity.getContentEncoding()));
        return CompletableFuture.completedFuture(response);
    }

    /**
     * The body of a known length, into an array of that length; then reads on to the end of the
     * stream, which is what lets HttpClient release the connection to the pool.
     */
    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        int off = 0;
        while (off < length) {
            int n = in.read(bytes, off, length - off);
            if (n < 0) {
                throw new org.apache.hc.core5.http.ConnectionClosedException(
                        "Premature end of Content-Length delimited message body (expected: %d; received: %d)",
                        length, off);
            }
            off += n;
        }
        if (in.read() >= 0) {
            throw new IOException("the body is longer than its Content-Length of " + length);
        }
        return bytes;
    }

    @Override
    public CompletableFuture<ClassicHttpResponse> deliverStored(int status, Map<String, List<String>> headers,
            byte[] body) {
        once();
        throwAway();
        BasicClassicHttpResponse stored = new BasicClassicHttpResponse(status);
        Messages.setFields(stored, headers);
        stored.setEntity(new ByteArrayEntity(body, Messages.contentType(headers)));
        return CompletableFuture.completedFuture(stored);
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        return CompletableFuture.completedFuture(read(limit, timeoutMillis, true));
    }

    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            throwAway();
        }
    }

    private void throwAway() {
        read(DISCARD_BYTES, DISCARD_MILLIS, false);
    }

    /**
     * Reads at most {@code limit} bytes within {@code millis}; at the end of the body the
     * connection goes back to the pool, otherwise it is closed. Never throws.
     */
    private Kept read(int limit, long millis, boolean collect) {
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            closeQuietly();
            return new Kept(null, false);
        }
        ByteArrayOutputStream kept = collect ? new ByteArrayOutputStream(Math.min(limit, 8192)) : null;
        Timers.Entry timer = Timers.after(millis, this::abort);
        boolean whole = false;
        try {
            InputStream in = entity.getContent();
            byte[] chunk = new byte[8192];
            long seen = 0;
            int n;
            while ((n = in.read(chunk)) >= 0) {
                if (collect && seen < limit) {
                    kept.write(chunk, 0, (int) Math.min(n, limit - seen));
                }
                seen += n;
                if (seen > limit) {
                    break;
                }
            }
            whole = n < 0;
        } catch (IOException | RuntimeException e) {
            whole = false;
        } finally {
            Timers.cancel(timer);
            if (!whole) {
                abort(); // close, don't drain
            }
            closeQuietly();
        }
        return new Kept(kept == null ? null : kept.toByteArray(), !whole);
    }

    @Override
    public void abort() {
        runtime.discardEndpoint();
    }

    private void closeQuietly() {
        try {
            response.close();
        } catch (IOException | RuntimeException ignored) {
            // the connection is already released or closed
        }
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }

    private static ContentType contentType(HttpEntity entity) {
        try {
            return entity.getContentType() == null ? null : ContentType.parse(entity.getContentType());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The call's deadline over a read in progress: at expiry the connection is closed under it. */
    private final class Deadline {
        private final Timers.Entry timer;
        private volatile boolean expired;

        Deadline(long millis) {
            this.timer = Timers.after(millis, () -> {
                expired = true;
                abort();
            });
        }

        void cancel() {
            Timers.cancel(timer);
        }

        /** The failure to report for {@code error}: the deadline when it caused it. */
        IOException explain(Exception error) {
            if (!expired) {
                return error instanceof IOException io ? io : new IOException(error);
            }
            SocketTimeoutException timeout = new SocketTimeoutException(
                    "the call's deadline passed while reading the response body of " + Redaction.uri(uri));
            timeout.initCause(error);
            return timeout;
        }
    }

    /** The caller's streamed body, with the deadline over it and the tap seeing a copy. */
    private final class WatchedEntity extends HttpEntityWrapper {
        private final BodyTap tap;
        private final Deadline deadline;

        WatchedEntity(HttpEntity wrapped, BodyTap tap, long deadlineMillis) {
            super(wrapped);
            this.tap = tap;
            this.deadline = new Deadline(deadlineMillis);
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xFF;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n;
                    try {
                        n = super.read(b, off, len);
                    } catch (IOException | RuntimeException e) {
                        deadline.cancel();
                        throw deadline.explain(e);
                    }
                    if (n > 0 && tap != null) {
                        tap.onBytes(ByteBuffer.wrap(b, off, n));
                    } else if (n < 0 && !ended) {
                        ended = true;
                        deadline.cancel();
                        if (tap != null) {
                            tap.onComplete();
                        }
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    deadline.cancel();
                    super.close();
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public boolean isRepeatable() {
            return false;
        }
    }
}
