package io.statuspolicy.spring;

import io.statuspolicy.engine.BodyDeadline;
import io.statuspolicy.engine.GuardedInputStream;

import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import io.statuspolicy.engine.RawLocation;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;

/**
 * One Spring response whose head has arrived, its body unread, until the engine says what it is
 * for. Bodies up to the buffer limit are read here first (a break is then a failed attempt the
 * policy can retry); a larger one is handed on as a stream. Every body read here or by the caller
 * runs under the call's deadline: when it passes, the response is closed and the read fails saying so.
 */
final class SpringExchange implements Exchange<ClientHttpResponse> {
    private final ClientHttpResponse response;
    private final int status;
    private final long bufferLimit;
    private final URI uri;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile BodyDeadline deadline;

    SpringExchange(ClientHttpResponse response, int status, long bufferLimit, URI uri) {
        this.response = response;
        this.status = status;
        this.bufferLimit = bufferLimit;
        this.uri = uri;
    }

    @Override
    public int status() {
        return status;
    }

    /** Location as the server sent its bytes: the JDK and Apache clients read each header byte as one character. */
    @Override
    public List<String> headerValues(String name) {
        List<String> values = response.getHeaders().getOrEmpty(name);
        return name.equalsIgnoreCase("Location") ? RawLocation.encodeAll(values) : List.copyOf(values);
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.getHeaders().forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return copy;
    }

    @Override
    public CompletableFuture<ClientHttpResponse> deliver(BodyTap tap, long deadlineMillis) {
        once();
        InputStream stream;
        try {
            stream = response.getBody();
        } catch (IOException e) {
            release(response);
            return CompletableFuture.failedFuture(new BodyFailure(e, false));
        }
        BodyDeadline guard = BodyDeadline.arm(deadlineMillis, () -> release(response));
        deadline = guard;
        long declared = response.getHeaders().getContentLength();
        Long length = declared >= 0 ? declared : null;
        if (bufferLimit > 0 && (length == null || length <= bufferLimit)) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            boolean ended;
            try {
                ended = readUpTo(stream, read, bufferLimit + 1);
            } catch (IOException e) {
                guard.disarm();
                release(response);
                return CompletableFuture.failedFuture(new BodyFailure(guard.explained(e, uri), false));
            }
            if (ended && length != null && read.size() < length) {
                // A client that ends a fixed-length body cut off by the server as if it were whole:
                // fewer bytes than Content-Length is a broken body (RFC 9112 §8).
                guard.disarm();
                release(response);
                return CompletableFuture.failedFuture(new BodyFailure(new EOFException(
                        "the body ended after " + read.size() + " of " + length + " bytes"), false));
            }
            if (ended && read.size() <= bufferLimit) {
                guard.disarm();
                release(response);
                byte[] bytes = read.toByteArray();
                if (tap != null) {
                    tap.onBytes(ByteBuffer.wrap(bytes));
                    tap.onComplete();
                }
                return CompletableFuture.completedFuture(new Delivered(status, statusText(), response.getHeaders(),
                        new ByteArrayInputStream(bytes), null));
            }
            InputStream rest = new SequenceInputStream(new ByteArrayInputStream(read.toByteArray()), stream);
            return CompletableFuture.completedFuture(new Delivered(status, statusText(), response.getHeaders(),
                    new GuardedInputStream(rest, tap, guard, uri, length == null ? -1 : length), response));
        }
        return CompletableFuture.completedFuture(new Delivered(status, statusText(), response.getHeaders(),
                new GuardedInputStream(stream, tap, guard, uri, length == null ? -1 : length), response));
    }

    private String statusText() {
        try {
            return response.getStatusText();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Reads until the end or {@code limit} bytes; true when the end came. */
    private static boolean readUpTo(InputStream stream, ByteArrayOutputStream into, long limit) throws IOException {
        byte[] chunk = new byte[8192];
        while (into.size() < limit) {
            int n = stream.read(chunk, 0, (int) Math.min(chunk.length, limit - into.size()));
            if (n == -1) {
                return true;
            }
            into.write(chunk, 0, n);
        }
        return false;
    }

    @Override
    public CompletableFuture<ClientHttpResponse> deliverStored(int storedStatus, Map<String, List<String>> headers,
            byte[] stored) {
        once();
        release(response);
        HttpHeaders fields = new HttpHeaders();
        headers.forEach(fields::addAll);
        return CompletableFuture.completedFuture(new Delivered(storedStatus, storedStatus == 200 ? "OK" : "", fields,
                new ByteArrayInputStream(stored), null));
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        boolean truncated = true;
        BodyDeadline guard = BodyDeadline.arm(timeoutMillis, () -> release(response));
        deadline = guard;
        try {
            InputStream stream = response.getBody();
            boolean ended = readUpTo(stream, read, limit);
            truncated = !ended && stream.read() != -1;
        } catch (IOException e) {
            truncated = true; // what had arrived is kept
        } finally {
            guard.disarm();
            release(response);
        }
        return CompletableFuture.completedFuture(new Kept(read.toByteArray(), truncated));
    }

    /** Closes the response without reading it: the factory's client releases or closes its connection. */
    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            release(response);
        }
    }

    @Override
    public void abort() {
        BodyDeadline current = deadline;
        if (current != null) {
            current.disarm();
        }
        release(response);
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
    }

    /**
     * Closes the body's stream, then the response. Spring's own {@code close()} first reads the
     * body to its end ({@code JdkClientHttpResponse} drains it, to reuse the connection): on a
     * dripping body that holds the caller, or the deadline timer, for as long as the server likes.
     * A closed stream drains at once, and the client drops the connection if the body was not over.
     */
    static void release(ClientHttpResponse response) {
        try {
            closeQuietly(response.getBody());
        } catch (IOException | RuntimeException ignored) {
            // no body to close
        }
        closeQuietly(response);
    }

    static void closeQuietly(AutoCloseable value) {
        if (value == null) {
            return;
        }
        try {
            value.close();
        } catch (Exception ignored) {
            // closing a body never fails the call
        }
    }

    /** The response as the caller gets it: its head, and a body already read or guarded. */
    private static final class Delivered implements ClientHttpResponse {
        private final int status;
        private final String statusText;
        private final HttpHeaders headers;
        private final InputStream body;
        private final ClientHttpResponse underlying;

        Delivered(int status, String statusText, HttpHeaders headers, InputStream body, ClientHttpResponse underlying) {
            this.status = status;
            this.statusText = statusText;
            this.headers = headers;
            this.body = body;
            this.underlying = underlying;
        }

        @Override
        public HttpStatusCode getStatusCode() {
            return HttpStatusCode.valueOf(status);
        }

        @Override
        public String getStatusText() {
            return statusText;
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return body;
        }

        @Override
        public void close() {
            closeQuietly(body);
            if (underlying != null) {
                release(underlying);
            }
        }
    }
}
