package io.statuspolicy.feign;

import io.statuspolicy.engine.BodyDeadline;
import io.statuspolicy.engine.GuardedInputStream;

import feign.Request;
import feign.Response;
import io.statuspolicy.engine.BodyFailure;
import io.statuspolicy.engine.BodyTap;
import io.statuspolicy.engine.Exchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One Feign response whose head has arrived, its body unread, until the engine says what it is
 * for. Bodies up to the buffer limit are read here first (a break is then a failed attempt the
 * policy can retry); a larger one is handed on as a stream. Every body read here or by the caller
 * runs under the call's deadline: when it passes, the stream is closed and the read fails saying so.
 */
final class FeignExchange implements Exchange<Response> {
    private final Response response;
    private final Request caller;
    private final long bufferLimit;
    private final URI uri;
    private final AtomicBoolean used = new AtomicBoolean();
    private volatile BodyDeadline deadline;

    FeignExchange(Response response, Request caller, long bufferLimit, URI uri) {
        this.response = response;
        this.caller = caller;
        this.bufferLimit = bufferLimit;
        this.uri = uri;
    }

    @Override
    public int status() {
        return response.status();
    }

    @Override
    public List<String> headerValues(String name) {
        for (Map.Entry<String, Collection<String>> field : response.headers().entrySet()) {
            if (field.getKey() != null && field.getKey().equalsIgnoreCase(name)) {
                return name.equalsIgnoreCase("Location") ? field.getValue().stream().map(FeignExchange::asSent).toList()
                        : List.copyOf(field.getValue());
            }
        }
        return List.of();
    }

    /**
     * A field value as the server sent its bytes: HttpURLConnection reads every header byte as
     * ISO-8859-1, so a Location in raw UTF-8 ("caf\u00c3\u00a9") comes back as UTF-8 when its
     * bytes are valid UTF-8; any other value (OkHttp's, already decoded) is left as it is.
     */
    static String asSent(String value) {
        boolean high = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xff) {
                return value;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return value;
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(value.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return value;
        }
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        response.headers().forEach((name, values) -> {
            if (name != null) {
                copy.put(name, List.copyOf(values));
            }
        });
        return copy;
    }

    @Override
    public CompletableFuture<Response> deliver(BodyTap tap, long deadlineMillis) {
        once();
        Response.Body body = response.body();
        if (body == null) {
            if (tap != null) {
                tap.onComplete();
            }
            return CompletableFuture.completedFuture(response.toBuilder().request(caller).build());
        }
        InputStream stream;
        try {
            stream = body.asInputStream();
        } catch (IOException e) {
            closeQuietly(response);
            return CompletableFuture.failedFuture(new BodyFailure(e, false));
        }
        BodyDeadline guard = BodyDeadline.arm(deadlineMillis, () -> closeQuietly(stream));
        deadline = guard;
        Integer length = body.length();
        if (bufferLimit > 0 && (length == null || length <= bufferLimit)) {
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            boolean ended;
            try {
                ended = readUpTo(stream, read, bufferLimit + 1);
            } catch (IOException e) {
                guard.disarm();
                closeQuietly(stream);
                return CompletableFuture.failedFuture(new BodyFailure(guard.explained(e, uri), false));
            }
            if (ended && length != null && read.size() < length) {
                // HttpURLConnection ends a fixed-length body cut off by the server as if it were
                // whole: fewer bytes than Content-Length is a broken body (RFC 9112 §8).
                guard.disarm();
                closeQuietly(stream);
                return CompletableFuture.failedFuture(new BodyFailure(new java.io.EOFException(
                        "the body ended after " + read.size() + " of " + length + " bytes"), false));
            }
            if (ended && read.size() <= bufferLimit) {
                guard.disarm();
                closeQuietly(stream);
                byte[] bytes = read.toByteArray();
                if (tap != null) {
                    tap.onBytes(ByteBuffer.wrap(bytes));
                    tap.onComplete();
                }
                return CompletableFuture.completedFuture(response.toBuilder().request(caller).body(bytes).build());
            }
            InputStream rest = new SequenceInputStream(new java.io.ByteArrayInputStream(read.toByteArray()), stream);
            return CompletableFuture.completedFuture(handedOn(new GuardedInputStream(rest, tap, guard, uri, length == null ? -1 : length), length));
        }
        return CompletableFuture.completedFuture(handedOn(new GuardedInputStream(stream, tap, guard, uri, length == null ? -1 : length), length));
    }

    private Response handedOn(InputStream stream, Integer length) {
        return response.toBuilder().request(caller).body(stream, length).build();
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
    public CompletableFuture<Response> deliverStored(int status, Map<String, List<String>> headers, byte[] stored) {
        once();
        closeQuietly(response);
        Map<String, Collection<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> fields.put(name, new ArrayList<>(values)));
        return CompletableFuture.completedFuture(response.toBuilder()
                .status(status)
                .reason(status == 200 ? "OK" : "")
                .headers(fields)
                .request(caller)
                .body(stored)
                .build());
    }

    @Override
    public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
        once();
        Response.Body body = response.body();
        if (body == null) {
            return CompletableFuture.completedFuture(new Kept(new byte[0], false));
        }
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        boolean truncated = true;
        InputStream stream = null;
        BodyDeadline guard = null;
        try {
            InputStream opened = body.asInputStream();
            stream = opened;
            guard = BodyDeadline.arm(timeoutMillis, () -> closeQuietly(opened));
            deadline = guard;
            boolean ended = readUpTo(stream, read, limit);
            truncated = !ended && stream.read() != -1;
        } catch (IOException e) {
            truncated = true; // what had arrived is kept
        } finally {
            if (guard != null) {
                guard.disarm();
            }
            closeQuietly(stream);
            closeQuietly(response);
        }
        return CompletableFuture.completedFuture(new Kept(read.toByteArray(), truncated));
    }

    /**
     * Closes the body without reading it: the client under Feign decides what that costs
     * (HttpURLConnection hands a short rest to its keep-alive cleaner, OkHttp drops the connection
     * unless the body is over), and neither blocks the caller for long.
     */
    @Override
    public void discard() {
        if (used.compareAndSet(false, true)) {
            closeQuietly(response);
        }
    }

    @Override
    public void abort() {
        BodyDeadline current = deadline;
        if (current != null) {
            current.disarm();
        }
        closeQuietly(response);
    }

    private void once() {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("the response was already handed on");
        }
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
}
