package io.statuspolicy.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okio.Buffer;

/**
 * One scripted answer of a {@link ScriptedServer}: a status, headers, a body, and optionally
 * slowness or a {@link Fault}.
 *
 * <p>Immutable: every method returns a new {@code Reply} and leaves this one unchanged, so a
 * reply can be kept in a constant and varied per test. Defaults: no headers of your own, an empty
 * body sent with {@code Content-Length: 0}, no delay, no throttling, {@link Fault#NONE}.
 *
 * <p>The server adds {@code Content-Length} (or {@code Transfer-Encoding: chunked} after
 * {@link #chunked()}). A framing header you set yourself with {@link #header} replaces the one
 * the server would add, which lets a test script wrong framing on purpose; the body bytes are
 * still sent as given.
 */
public final class Reply {

    /** Chunk size used by {@link #chunked()}: small enough that a body of a few KiB spans chunks. */
    static final int CHUNK_SIZE = 1024;

    private final int status;
    private final List<String[]> headers;
    private final byte[] body;
    private final boolean chunked;
    private final Duration headersDelay;
    private final long throttleBytes;
    private final Duration throttlePeriod;
    private final Fault fault;

    private Reply(int status, List<String[]> headers, byte[] body, boolean chunked, Duration headersDelay,
            long throttleBytes, Duration throttlePeriod, Fault fault) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.chunked = chunked;
        this.headersDelay = headersDelay;
        this.throttleBytes = throttleBytes;
        this.throttlePeriod = throttlePeriod;
        this.fault = fault;
    }

    /**
     * A reply with this status and nothing else.
     *
     * @param status a three-digit status, 100 to 999 (unregistered ones such as 599 included)
     */
    public static Reply status(int status) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("Reply.status(" + status + "): a status has three digits, 100 to 999");
        }
        return new Reply(status, List.of(), new byte[0], false, Duration.ZERO, 0, Duration.ZERO, Fault.NONE);
    }

    /** {@code 200} with this UTF-8 body. */
    public static Reply ok(String body) {
        return status(200).body(body);
    }

    /** A redirect: {@code status} (normally 301, 302, 303, 307 or 308) with a {@code Location}. */
    public static Reply redirect(int status, String location) {
        return status(status).header("Location", location);
    }

    /**
     * This reply plus one header line. Repeat the call to send a header several times; lines are
     * sent in the order added, duplicates kept. The value is sent as given, unchecked.
     */
    public Reply header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, () -> "value of header " + name);
        if (name.isBlank() || name.indexOf(':') >= 0) {
            throw new IllegalArgumentException("Reply.header(\"" + name + "\", ...): not a header name");
        }
        List<String[]> more = new ArrayList<>(headers);
        more.add(new String[] {name, value});
        return new Reply(status, Collections.unmodifiableList(more), body, chunked, headersDelay, throttleBytes,
                throttlePeriod, fault);
    }

    /** This reply with this body, encoded as UTF-8. */
    public Reply body(String utf8) {
        Objects.requireNonNull(utf8, "body");
        return body(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** This reply with a copy of these bytes as its body. */
    public Reply body(byte[] bytes) {
        Objects.requireNonNull(bytes, "body");
        return new Reply(status, headers, bytes.clone(), chunked, headersDelay, throttleBytes, throttlePeriod, fault);
    }

    /** This reply with its body sent as {@code Transfer-Encoding: chunked}, in chunks of 1 KiB. */
    public Reply chunked() {
        return new Reply(status, headers, body, true, headersDelay, throttleBytes, throttlePeriod, fault);
    }

    /** This reply with the status line and headers sent only after {@code delay} (a slow server). */
    public Reply headersDelay(Duration delay) {
        requireNotNegative(delay, "headersDelay");
        return new Reply(status, headers, body, chunked, delay, throttleBytes, throttlePeriod, fault);
    }

    /**
     * This reply with its body dripped: at most {@code bytesPerPeriod} bytes, then a pause of
     * {@code period}, and so on (RFC 9110 §17.5, slow streams).
     */
    public Reply throttleBody(long bytesPerPeriod, Duration period) {
        if (bytesPerPeriod <= 0) {
            throw new IllegalArgumentException("throttleBody(" + bytesPerPeriod + ", ...): bytes per period must be positive");
        }
        requireNotNegative(period, "throttleBody period");
        return new Reply(status, headers, body, chunked, headersDelay, bytesPerPeriod, period, fault);
    }

    /** This reply with {@code fault} acted out; {@link Fault#NONE} removes a fault. */
    public Reply fault(Fault fault) {
        Objects.requireNonNull(fault, "fault");
        return new Reply(status, headers, body, chunked, headersDelay, throttleBytes, throttlePeriod, fault);
    }

    /** The fault acted out, {@link Fault#NONE} for a normal reply. */
    Fault faultToAct() {
        return fault;
    }

    /** Rejects a reply that cannot be acted out as asked, naming it. */
    void checkPlayable(String where) {
        if (fault == Fault.DISCONNECT_DURING_BODY && body.length < 2) {
            throw new IllegalArgumentException(where + ": " + this
                    + " has DISCONNECT_DURING_BODY but a body of " + body.length
                    + " bytes; give it a body of at least 2 bytes to cut in half");
        }
    }

    /** The MockWebServer response that acts out this reply; {@code writing} counts bodies being written. */
    MockResponse toMockResponse(java.util.concurrent.atomic.AtomicInteger writing) {
        return toMockResponse(writing, false);
    }

    /**
     * The MockWebServer response that acts out this reply, to a HEAD request when {@code head}:
     * then the framing fields the body would have had ({@code Content-Length} of its size, or
     * {@code Transfer-Encoding: chunked}) and no body, as RFC 9110 §9.3.2 says (MockWebServer
     * would write the body, which a client then reads as the start of the next response). A
     * fault in the middle of the body does not act on a HEAD answer: it has none.
     */
    MockResponse toMockResponse(java.util.concurrent.atomic.AtomicInteger writing, boolean head) {
        MockResponse.Builder response = new MockResponse.Builder().code(status);
        Buffer bytes = new Buffer().write(body);
        if (head) {
            if (chunked) {
                response.removeHeader("Content-Length").setHeader("Transfer-Encoding", "chunked");
            } else {
                response.setHeader("Content-Length", body.length);
            }
        } else if (chunked) {
            response.chunkedBody(bytes, CHUNK_SIZE);
        } else {
            response.body(bytes);
        }
        mockwebserver3.MockResponseBody framed = response.getBody();
        if (!head && framed != null && body.length > 0) {
            response.body(new TrackedBody(framed, writing));
            if (chunked) {
                response.removeHeader("Content-Length");
            }
        }
        for (String[] line : headers) {
            String lower = line[0].toLowerCase(Locale.ROOT);
            if (lower.equals("content-length") || lower.equals("transfer-encoding")) {
                response.removeHeader(line[0]); // ours replaces the server's; later lines of the same name stay
            }
        }
        for (String[] line : headers) {
            response.addHeaderLenient(line[0], line[1]);
        }
        if (!headersDelay.isZero()) {
            response.headersDelay(headersDelay.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (throttleBytes > 0) {
            response.throttleBody(throttleBytes, throttlePeriod.toNanos(), TimeUnit.NANOSECONDS);
        }
        switch (fault) {
            case NONE -> {
            }
            // Acted at accept time through Dispatcher.peek() (onRequestStart); this onResponseStart
            // is the fallback for a request that came on a connection already open (see ScriptDispatcher).
            case DISCONNECT_AT_START -> response.onRequestStart(closeSocket()).onResponseStart(closeSocket());
            case DISCONNECT_AFTER_REQUEST -> response.onResponseStart(closeSocket());
            case NO_RESPONSE -> response.onResponseStart(SocketEffect.Stall.INSTANCE);
            // MockWebServer fires onResponseBody after half the body's bytes.
            case DISCONNECT_DURING_BODY -> response.onResponseBody(closeSocket());
        }
        return response.build();
    }

    private static SocketEffect closeSocket() {
        return new SocketEffect.CloseSocket(true, false, false);
    }

    private static void requireNotNegative(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative: " + duration);
        }
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Reply[").append(status);
        for (String[] line : headers) {
            text.append(", ").append(line[0]).append(": ").append(line[1]);
        }
        text.append(", body ").append(body.length).append(" bytes");
        if (chunked) {
            text.append(" chunked");
        }
        if (!headersDelay.isZero()) {
            text.append(", headers after ").append(headersDelay);
        }
        if (throttleBytes > 0) {
            text.append(", ").append(throttleBytes).append(" bytes per ").append(throttlePeriod);
        }
        if (fault != Fault.NONE) {
            text.append(", ").append(fault);
        }
        return text.append(']').toString();
    }

    /** A body that counts itself while the server writes it, so a test can see one left hanging. */
    private static final class TrackedBody implements mockwebserver3.MockResponseBody {
        private final mockwebserver3.MockResponseBody body;
        private final java.util.concurrent.atomic.AtomicInteger writing;

        TrackedBody(mockwebserver3.MockResponseBody body, java.util.concurrent.atomic.AtomicInteger writing) {
            this.body = body;
            this.writing = writing;
        }

        @Override
        public long getContentLength() {
            return body.getContentLength();
        }

        @Override
        public void writeTo(okio.BufferedSink sink) throws java.io.IOException {
            writing.incrementAndGet();
            try {
                body.writeTo(sink);
                sink.flush();
            } finally {
                writing.decrementAndGet();
            }
        }
    }
}
