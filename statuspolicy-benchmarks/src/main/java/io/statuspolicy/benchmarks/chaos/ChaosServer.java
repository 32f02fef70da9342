package io.statuspolicy.benchmarks.chaos;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import okio.BufferedSink;

/**
 * A loopback server that misbehaves at random, and keeps its own record of every request it
 * read: which call it belonged to (the {@code X-Call} field), the method, whether it carried an
 * {@code Idempotency-Key}, a digest of its body, and what the server did with it. The soak's
 * checks are made from this record, not from what the client says.
 *
 * <p>What it does with a request, drawn from a seeded random source: answer 200 with the call's
 * body (whole, dripping, or cut off half-way), reset the connection after reading the request,
 * answer 500 or 503 (a 503 sometimes with a long dripping page), 429 with {@code Retry-After: 1},
 * a 307 to another URI of the same call, or never answer.
 */
final class ChaosServer implements AutoCloseable {

    /** What the server did with one request. */
    enum Act {
        OK(true), OK_DRIPPING(true), OK_CUT_OFF(true), RESET_AFTER_REQUEST(true), STATUS_500(true),
        STATUS_503(true), STATUS_503_DRIPPING(true), NO_ANSWER(true),
        /** RFC 6585 §4: the server did not act. */
        STATUS_429(false),
        /** The server redirected before acting. */
        REDIRECT_307(false);

        /** Whether the server may have acted on the request (executed it). */
        final boolean executes;

        Act(boolean executes) {
            this.executes = executes;
        }
    }

    /** One request as the server read it, and what it did. */
    record Seen(long call, String method, boolean idempotencyKey, String bodySha, Act act) {
    }

    private final MockWebServer server = new MockWebServer();
    private final SplittableRandom random;
    private final List<Seen> seen = new ArrayList<>();
    private final AtomicInteger writing = new AtomicInteger();

    ChaosServer(long seed) {
        this.random = new SplittableRandom(seed);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not start the chaos server", e);
        }
    }

    java.net.URI uri(String path) {
        return java.net.URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    int port() {
        return server.getPort();
    }

    /** Everything the server read, in order. */
    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    private synchronized int seenCount() {
        return seen.size();
    }

    /** Response bodies being written right now (a client that left one open holds it). */
    int bodiesInProgress() {
        return writing.get();
    }

    /** The body every successful response of {@code call} carries: the same bytes on every attempt. */
    static byte[] bodyOf(long call) {
        SplittableRandom bytes = new SplittableRandom(call * 0x9E3779B97F4A7C15L);
        byte[] body = new byte[bytes.nextInt(0, 48 * 1024)];
        bytes.nextBytes(body);
        return body;
    }

    static String sha(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private MockResponse answer(RecordedRequest request) {
        String callField = request.getHeaders().get("X-Call");
        long call = callField == null ? -1 : Long.parseLong(callField);
        byte[] requestBody = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        Act act;
        synchronized (this) {
            act = draw();
            seen.add(new Seen(call, request.getMethod(), request.getHeaders().get("Idempotency-Key") != null,
                    sha(requestBody), act));
        }
        byte[] body = bodyOf(call);
        MockResponse.Builder response = new MockResponse.Builder();
        switch (act) {
            case OK -> response.code(200).body(tracked(body));
            case OK_DRIPPING -> response.code(200).body(tracked(body))
                    .throttleBody(8 * 1024, 20, TimeUnit.MILLISECONDS);
            case OK_CUT_OFF -> response.code(200).body(tracked(body.length < 2 ? new byte[4096] : body))
                    .onResponseBody(new SocketEffect.CloseSocket(true, false, false));
            case RESET_AFTER_REQUEST -> response.code(200).onResponseStart(new SocketEffect.CloseSocket(true, false, false));
            case STATUS_500 -> response.code(500).body(tracked("oops".getBytes()));
            case STATUS_503 -> response.code(503).body(tracked("busy".getBytes()));
            case STATUS_503_DRIPPING -> response.code(503).body(tracked(new byte[256 * 1024]))
                    .throttleBody(1024, 50, TimeUnit.MILLISECONDS);
            case NO_ANSWER -> response.code(200).onResponseStart(SocketEffect.Stall.INSTANCE);
            case STATUS_429 -> response.code(429).addHeader("Retry-After", "1").body(tracked("slow down".getBytes()));
            // Another URI of the same call (a new query each time), so the client follows it.
            case REDIRECT_307 -> response.code(307).addHeader("Location",
                    request.getUrl().encodedPath() + "?hop=" + seenCount());
        }
        return response.build();
    }

    /** Holding the monitor. */
    private Act draw() {
        int roll = random.nextInt(100);
        if (roll < 45) {
            return Act.OK;
        }
        if (roll < 52) {
            return Act.OK_DRIPPING;
        }
        if (roll < 60) {
            return Act.OK_CUT_OFF;
        }
        if (roll < 67) {
            return Act.RESET_AFTER_REQUEST;
        }
        if (roll < 72) {
            return Act.STATUS_500;
        }
        if (roll < 80) {
            return Act.STATUS_503;
        }
        if (roll < 84) {
            return Act.STATUS_503_DRIPPING;
        }
        if (roll < 86) {
            return Act.NO_ANSWER;
        }
        if (roll < 90) {
            return Act.STATUS_429;
        }
        return Act.REDIRECT_307;
    }

    private MockResponseBody tracked(byte[] bytes) {
        Buffer buffer = new Buffer().write(bytes);
        return new MockResponseBody() {
            @Override
            public long getContentLength() {
                return bytes.length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                writing.incrementAndGet();
                try {
                    sink.write(buffer.clone(), bytes.length);
                    sink.flush();
                } finally {
                    writing.decrementAndGet();
                }
            }
        };
    }

    /**
     * Established TCP connections to this server's port, as the kernel lists them (Linux's
     * {@code /proc/net/tcp}); -1 where that cannot be read.
     */
    int establishedConnections() {
        Path table = Path.of("/proc/net/tcp");
        if (!Files.isReadable(table)) {
            return -1;
        }
        String port = String.format(Locale.ROOT, "%04X", server.getPort());
        try {
            int count = 0;
            for (String line : Files.readAllLines(table)) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length > 3 && columns[1].endsWith(":" + port) && columns[3].equals("01")) {
                    count++;
                }
            }
            return count;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
