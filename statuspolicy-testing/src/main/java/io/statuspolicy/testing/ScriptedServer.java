package io.statuspolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockWebServer;
import okhttp3.Protocol;

/**
 * A real HTTP/1.1 server on {@code 127.0.0.1} that answers from a script, per path, and records
 * every request. It is OkHttp's {@code MockWebServer} (mockwebserver3) behind a small API, so it
 * can also misbehave at the socket level: see {@link Fault}.
 *
 * <pre>{@code
 * try (ScriptedServer server = ScriptedServer.start()) {
 *     server.on("/r", Reply.status(503).header("Retry-After", "1"), Reply.ok("done"));
 *     // ... call server.uri("/r") with the client under test ...
 *     assertThat(server.requests("/r")).hasSize(2);
 * }
 * }</pre>
 *
 * <h2>Scripts</h2>
 * {@link #on(String, Reply...)} appends replies to a path's queue; each request to that path
 * (whatever its query and method) takes the next one. <b>The last reply of a queue repeats</b>
 * for every further request, so "503 forever" is {@code on(path, Reply.status(503))}, and
 * "503, 503, then 200 for good" is {@code on(path, s503, s503, ok)}. A path never scripted gets
 * {@link #otherwise(Reply)}, by default {@code 599} with a body naming the request.
 *
 * <h2>Refused connections ({@link Fault#DISCONNECT_AT_START})</h2>
 * The server closes a new connection before reading anything, so it cannot know the path the
 * request was for. When a connection is accepted, it is refused if the next reply of any path
 * is {@code DISCONNECT_AT_START} (the first such path in scripting order gives up that reply), or
 * if the {@code otherwise} reply is (then every new connection is refused). Script this fault
 * in tests whose requests come one at a time. MockWebServer records each refused connection as
 * a placeholder request {@code GET /} with no header fields and an empty body, on its own
 * {@code connectionIndex}; so does this server, in {@link #requests()} and
 * {@link #requestCount()} (but not in {@code requests(path)} of the path scripted, since its
 * path was never read). When a request for such a path comes on a connection that was already
 * open, the server has read it by then: it closes the connection without answering (as
 * {@link Fault#DISCONNECT_AFTER_REQUEST}) and records it as an ordinary request.
 *
 * <h2>Threads and lifetime</h2>
 * Thread-safe: script and inspect from any thread while requests are served. The server speaks
 * HTTP/1.1 only (also over TLS, where ALPN offers only {@code http/1.1}), so faults act on whole
 * connections. {@link #close()} closes every connection, ends every server thread and is
 * idempotent; use try-with-resources or close in {@code @AfterEach}.
 */
public final class ScriptedServer implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";

    private final MockWebServer server;
    private final ScriptDispatcher dispatcher;
    private final String scheme;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ScriptedServer(TestCertificates certificates) {
        this.dispatcher = new ScriptDispatcher();
        this.server = new MockWebServer();
        server.setDispatcher(dispatcher);
        server.setProtocols(List.of(Protocol.HTTP_1_1));
        server.setServerSocketFactory(new NoDelayServerSockets());
        if (certificates != null) {
            server.useHttps(certificates.serverSocketFactory());
        }
        try {
            server.start(InetAddress.getByName(LOOPBACK), 0);
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("could not start a server on " + LOOPBACK, e);
        }
        this.scheme = certificates == null ? "http" : "https";
        this.port = server.getPort();
    }

    /** Starts a plain HTTP server on {@code 127.0.0.1}, on a free port. */
    public static ScriptedServer start() {
        return new ScriptedServer(null);
    }

    /**
     * Starts an HTTPS server on {@code 127.0.0.1}, on a free port, presenting the server
     * certificate of {@code certificates} (valid for {@code localhost} and {@code 127.0.0.1}).
     * Clients trust it through {@link TestCertificates#clientContext()}.
     */
    public static ScriptedServer startTls(TestCertificates certificates) {
        return new ScriptedServer(Objects.requireNonNull(certificates, "certificates"));
    }

    /**
     * The URI of {@code pathAndQuery} on this server, for example {@code uri("/cases/1?x=y")} is
     * {@code http://127.0.0.1:PORT/cases/1?x=y}. The text is used as given, percent-encoding and all.
     */
    public URI uri(String pathAndQuery) {
        Objects.requireNonNull(pathAndQuery, "pathAndQuery");
        if (!pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("uri(\"" + pathAndQuery + "\"): the path must start with '/'");
        }
        return URI.create(scheme + "://" + LOOPBACK + ":" + port + pathAndQuery);
    }

    /** The address the server listens on: {@code 127.0.0.1}. */
    public String host() {
        return LOOPBACK;
    }

    /** The port the server listens on. */
    public int port() {
        return port;
    }

    /** {@code http} or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /**
     * Appends {@code replies} to the queue of {@code path}; the last reply of a queue repeats.
     *
     * @param path a path starting with {@code /}, without query: requests match it whatever
     *             their query, byte for byte as sent (percent-encoding is not decoded)
     * @return this server, to chain calls
     */
    public ScriptedServer on(String path, Reply... replies) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/") || path.indexOf('?') >= 0) {
            throw new IllegalArgumentException("on(\"" + path + "\", ...): give a path starting with '/' and no query");
        }
        if (replies == null || replies.length == 0) {
            throw new IllegalArgumentException("on(\"" + path + "\"): give at least one reply");
        }
        List<Reply> list = List.of(replies); // rejects null elements
        list.forEach(reply -> reply.checkPlayable("on(\"" + path + "\", ...)"));
        dispatcher.script(path, list);
        return this;
    }

    /**
     * The reply for every request to a path never given to {@link #on}. Replaces the default,
     * {@code 599} with the body {@code statuspolicy-testing: no reply scripted for METHOD PATH}.
     */
    public ScriptedServer otherwise(Reply reply) {
        Objects.requireNonNull(reply, "reply");
        reply.checkPlayable("otherwise(...)");
        dispatcher.otherwise(reply);
        return this;
    }

    /** Every request received so far, in arrival order (including refused-connection placeholders). */
    public List<RecordedExchange> requests() {
        return dispatcher.exchanges();
    }

    /** The requests received so far whose path (query ignored) is {@code path}, in arrival order. */
    public List<RecordedExchange> requests(String path) {
        Objects.requireNonNull(path, "path");
        return dispatcher.exchanges().stream().filter(e -> e.path().equals(path)).toList();
    }

    /** How many requests were received so far: {@code requests().size()}. */
    public int requestCount() {
        return dispatcher.count();
    }

    /**
     * The next request in arrival order not yet taken by this method, waiting up to
     * {@code timeout} for it: for calls that run on other threads. Independent of
     * {@link #requests()}, which always returns all of them.
     *
     * @throws AssertionError if none arrives in time, or if the thread is interrupted while
     *                        waiting (the interrupt flag is then set again)
     */
    public RecordedExchange takeRequest(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        try {
            RecordedExchange next = dispatcher.untaken().poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("no request reached " + this + " within " + timeout);
            }
            return next;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a request to " + this, e);
        }
    }

    /**
     * Stops the server: closes the listening socket and every open connection (including ones
     * stalled by {@link Fault#NO_RESPONSE}) and waits for its threads to finish. Idempotent.
     */
    /**
     * How many response bodies the server is writing right now. After a client is done with its
     * calls this must come to 0: a body still being written is one the client neither read to its
     * end nor closed, so its connection is held open (a discarded body drained without bound, a
     * streaming body left open in an exception).
     */
    public int bodiesInProgress() {
        return dispatcher.writing.get();
    }

    /**
     * How long a client may take to close a connection it cancelled, for
     * {@link #awaitNoBodyInProgress}: 3 s, or the JDK client's selector period plus 1.5 s when
     * that is longer (4.5 s by default). Measured on Java 25: the JDK client closes a cancelled
     * connection by closing a channel still registered with its selector, which NIO only shuts
     * down for writing until that selector next runs; when no other event wakes it, that is its
     * idle period, {@code jdk.internal.httpclient.selectorTimeout} (3000 ms by default). About
     * one cancel in fifteen waits that long, with the plain JDK client as with an adapter over it
     * (Java 17 closed every one within about 220 ms). Scenarios that wait this long give the
     * cancelled body more than that to run, so a body nobody cancelled still fails them.
     */
    public static Duration cancelledConnectionGrace() {
        long selectorMillis = Long.getLong("jdk.internal.httpclient.selectorTimeout", 3000);
        return Duration.ofMillis(Math.max(3000, selectorMillis + 1500));
    }

    /**
     * Waits up to {@code timeout} for {@link #bodiesInProgress()} to come to 0.
     *
     * @return whether it did
     */
    public boolean awaitNoBodyInProgress(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (dispatcher.writing.get() > 0) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.close();
        }
    }

    @Override
    public String toString() {
        return "ScriptedServer[" + scheme + "://" + LOOPBACK + ":" + port + "]";
    }
}
