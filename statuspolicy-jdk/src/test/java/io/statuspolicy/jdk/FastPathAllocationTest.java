package io.statuspolicy.jdk;

import io.statuspolicy.engine.DeadlineTimer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/**
 * The first-attempt fast path (issue 14) in bytes: a synchronous GET answered 200 through
 * {@link PolicyHttpClient} over an in-memory client, against the same client called bare. This
 * counts the JVM's per-thread allocation counter, not time (speed is measured in the benchmarks
 * module, A0), so it is stable enough for a build. The bound (see {@link #BOUND}) is well below
 * what the engine cost before (1 520 B over bare on A0, 800 B before the first fast path, 408 B
 * before the pooled one): a change that copies the caller's request again, builds a call object
 * or a per-call timer entry for a plain success again, holds the body again or makes a future
 * per head again fails it.
 */
class FastPathAllocationTest {
    /**
     * Bytes per call the fast path may add over the bare call: it added 912 B here when written,
     * 800 B after the trims of branch perf8, 520 B after the engine's first-attempt fast path and
     * the JDK adapter's direct delivery, 408 B after session 5's two fewer objects, and since the
     * pooled synchronous fast path (FastCall: the caller's request sent as it is, the call's state
     * in a reused object, its deadline a reused watch) ours measures 96 B per call against the bare
     * call's 72 B (that difference is the JIT's escape analysis, which removes more of the bare
     * call's objects; in JMH ours allocates 108 B against the bare call's 120 B). The bound is
     * 64 B: one object of ours per call (a copy of the request, a call object, a timer entry)
     * would exceed it with the noise, so a change that brings one back fails here.
     */
    static final long BOUND = 64;

    @Test
    void a200OnTheFirstAttemptAddsAtMostTheBoundOverTheBareCall() throws Exception {
        StubClient stub = new StubClient();
        PolicyHttpClient ours = PolicyHttpClient.builder().build(stub);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://stub.test/items/17")).GET().build();
        BodyHandler<Void> handler = HttpResponse.BodyHandlers.discarding();

        long bare = bytesPerCall(() -> stub.send(request, handler));
        long wrapped = bytesPerCall(() -> ours.send(request, handler));

        assertThat(ours.send(request, handler).statusCode()).isEqualTo(200);
        assertThat(wrapped - bare).as("bytes the policy adds per 200 call (bare %d B, ours %d B)", bare, wrapped)
                .isLessThanOrEqualTo(BOUND);
        assertThat(DeadlineTimer.armed()).as("no body deadline left armed").isZero();
    }

    private interface Call {
        HttpResponse<Void> run() throws Exception;
    }

    private static long bytesPerCall(Call call) throws Exception {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Object sink = null;
        for (int i = 0; i < 200_000; i++) { // warm up, so that the JIT has compiled the path
            sink = call.run();
        }
        int calls = 200_000;
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the least of three rounds: a GC-free, compiled round
            long before = threads.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                sink = call.run();
            }
            least = Math.min(least, (threads.getThreadAllocatedBytes(thread) - before) / calls);
        }
        assertThat(sink).isNotNull();
        return least;
    }

    /**
     * A {@link HttpClient} without sockets: every request gets a 200 with an empty body, and the
     * caller's body handler runs as the JDK runs it (subscribe, then deliver on demand, complete).
     */
    private static final class StubClient extends HttpClient {
        private final ResponseInfo reply = new ResponseInfo() {
            private final HttpHeaders headers = HttpHeaders.of(
                    Map.of("Content-Type", List.of("application/json"), "Content-Length", List.of("0")),
                    (name, value) -> true);

            @Override
            public int statusCode() {
                return 200;
            }

            @Override
            public HttpHeaders headers() {
                return headers;
            }

            @Override
            public Version version() {
                return Version.HTTP_1_1;
            }
        };

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler) throws IOException {
            BodySubscriber<T> subscriber = handler.apply(reply);
            boolean[] done = new boolean[1];
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    done[0] = true;
                }

                @Override
                public void cancel() {
                }
            });
            if (done[0]) {
                subscriber.onComplete();
            }
            T body = subscriber.getBody().toCompletableFuture().join();
            return new Response<>(request, body, reply.headers());
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
            try {
                return CompletableFuture.completedFuture(send(request, handler));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
                HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
            return sendAsync(request, handler);
        }

        @Override
        public Optional<CookieHandler> cookieHandler() {
            return Optional.empty();
        }

        @Override
        public Optional<Duration> connectTimeout() {
            return Optional.empty();
        }

        @Override
        public Redirect followRedirects() {
            return Redirect.NEVER;
        }

        @Override
        public Optional<ProxySelector> proxy() {
            return Optional.empty();
        }

        @Override
        public SSLContext sslContext() {
            throw new UnsupportedOperationException("no TLS");
        }

        @Override
        public SSLParameters sslParameters() {
            throw new UnsupportedOperationException("no TLS");
        }

        @Override
        public Optional<Authenticator> authenticator() {
            return Optional.empty();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }

        @Override
        public Optional<Executor> executor() {
            return Optional.empty();
        }
    }

    private record Response<T>(HttpRequest request, T body, HttpHeaders headers) implements HttpResponse<T> {
        @Override
        public int statusCode() {
            return 200;
        }

        @Override
        public Optional<HttpResponse<T>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }
}
