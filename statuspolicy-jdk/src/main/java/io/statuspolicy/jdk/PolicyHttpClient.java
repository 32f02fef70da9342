package io.statuspolicy.jdk;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.CallSpec;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.engine.RedirectStore;
import io.statuspolicy.engine.ResponseStore;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.time.Sleeper;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} whose {@code send} and {@code sendAsync} follow the policy: it is a
 * drop-in for the JDK's client. Everything else delegates to the wrapped client.
 *
 * <pre>{@code
 * HttpClient client = PolicyHttpClient.builder()
 *         .delegate(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)))
 *         .policy(Policy.guideline())
 *         .build();
 * HttpResponse<String> response = client.send(request, BodyHandlers.ofString()); // as before
 * }</pre>
 *
 * <p>What it does for each call: redirects, retries with backoff and {@code Retry-After},
 * credential refresh (401, 403, 407), the 411 repair, 404 awaiting, conditional requests and
 * 304 answers (with a {@link ResponseStore}), permanent-redirect memory (with a
 * {@link RedirectStore}), one deadline for the whole call, and the per-host retry budget.
 * Synchronous and asynchronous calls run the same loop and take the same decisions.
 *
 * <p>Results: the final response is returned, including error responses the policy does not
 * retry (statuses are data). A call that ends because the policy gave up (retries exhausted,
 * the budget or deadline reached) or on a transport failure throws {@link PolicyException}
 * (for {@code sendAsync}, completes exceptionally with it), which says what was tried.
 *
 * <p>The wrapped client must not follow redirects itself ({@link HttpClient.Redirect#NEVER});
 * the builder sets that. The JDK client also retries a little by itself, with no per-client
 * switch; see {@link #disableJdkRetries()}.
 *
 * <p>Thread-safe; one instance serves the whole application.
 */
public final class PolicyHttpClient extends HttpClient {
    private final HttpClient delegate;
    /** Whether a blocking send to {@link #delegate} waits on its {@code sendAsync} ({@link BlockingSend}), known once. */
    private final boolean delegateWaitsOnAsync;
    private final PolicyEngine engine;
    private final long bodyBufferLimit;

    private PolicyHttpClient(Builder builder, HttpClient delegate) {
        this.delegate = delegate;
        this.delegateWaitsOnAsync = BlockingSend.waitsOnAsync(delegate);
        // Credential refreshes on the delegate's executor when it has one, else the engine's own threads.
        this.engine = builder.engine.executor(delegate.executor().orElse(null)).build();
        this.bodyBufferLimit = builder.bodyBufferLimit;
    }

    /** A builder with the guideline, real time, no credentials and in-memory redirect memory. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Wraps an existing client with the guideline and the defaults.
     *
     * @throws IllegalArgumentException if {@code delegate} follows redirects itself
     */
    public static PolicyHttpClient wrap(HttpClient delegate) {
        return builder().build(delegate);
    }

    /**
     * Turns off, for this JVM, the retries the JDK's client makes by itself: a refused connection
     * tried once more, and a GET or HEAD sent again when its connection closes before any byte of
     * the response. With them on, a server that resets every connection sees up to twice the
     * policy's attempts (RFC 9110 §9.2.2: a client should not retry a failed automatic retry).
     *
     * <p>The JDK reads these switches once, when its client first sends, and has no per-client
     * form of them: call this at start-up, before any {@link HttpClient} sends. It sets
     * {@code jdk.httpclient.disableRetryConnect=true} and
     * {@code jdk.httpclient.redirects.retrylimit=1}; the second also stops other
     * {@code HttpClient}s in the JVM from following redirects themselves, so call it only when
     * every client goes through statuspolicy (a command-line tool, a service that uses only
     * {@code PolicyHttpClient}). Values already set are left alone.
     *
     * @return whether both switches now have the values that turn the retries off
     */
    public static boolean disableJdkRetries() {
        if (System.getProperty("jdk.httpclient.disableRetryConnect") == null) {
            System.setProperty("jdk.httpclient.disableRetryConnect", "true");
        }
        if (System.getProperty("jdk.httpclient.redirects.retrylimit") == null) {
            System.setProperty("jdk.httpclient.redirects.retrylimit", "1");
        }
        return "true".equals(System.getProperty("jdk.httpclient.disableRetryConnect"))
                && "1".equals(System.getProperty("jdk.httpclient.redirects.retrylimit"));
    }

    // ---- the policy's calls ----------------------------------------------------------------

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return send(request, handler, CallOptions.DEFAULT);
    }

    /**
     * {@link #send(HttpRequest, HttpResponse.BodyHandler)} with per-call options.
     *
     * @throws PolicyException      when the policy gave up or a transport failure was not recovered
     * @throws InterruptedException when the thread was interrupted; the call stops at once (no
     *                              further attempt, the exchange in flight aborted) and the
     *                              thread's interrupt flag stays set
     */
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, CallOptions options)
            throws IOException, InterruptedException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        RequestBody body;
        try {
            if (RequestBody.immediate(request)) {
                body = RequestBody.now(request);
                // The first-attempt fast path: the caller's request as it is, nothing of ours per call.
                FastCall fast = FastCall.POOL.take();
                if (fast != null) {
                    HttpResponse<T> response;
                    try {
                        response = fast.send(this, request, body, handler, options);
                    } catch (CancellationException e) {
                        throw new IOException("the call was cancelled", e);
                    }
                    if (response != null) {
                        return response;
                    }
                }
            } else {
                body = RequestBody.of(request, bodyBufferLimit).get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("the request body could not be read", cause);
        }
        try {
            return engine.execute(spec(request, body, options), new JdkTransport<>(this, request, handler, null, body));
        } catch (CancellationException e) {
            throw new IOException("the call was cancelled", e);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request,
            HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null, CallOptions.DEFAULT);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return sendAsync(request, handler, pushPromiseHandler, CallOptions.DEFAULT);
    }

    /**
     * {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler)} with per-call options. Waits
     * between attempts hold no thread; cancelling the future stops the call and aborts the
     * exchange in flight.
     */
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            CallOptions options) {
        return sendAsync(request, handler, null, options);
    }

    private <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
            HttpResponse.PushPromiseHandler<T> pushPromises, CallOptions options) {
        Objects.requireNonNull(handler, "handler");
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicReference<java.util.concurrent.Future<?>> running =
                new java.util.concurrent.atomic.AtomicReference<>();
        result.whenComplete((response, error) -> {
            java.util.concurrent.Future<?> call = running.get();
            if (result.isCancelled() && call != null) {
                call.cancel(true);
            }
        });
        // A streamed body is read (to make it replayable) off the caller's thread: on the delegate's
        // executor, or the common pool as the JDK's own client does.
        CompletableFuture<RequestBody> prepared = RequestBody.immediate(request)
                ? RequestBody.of(request, bodyBufferLimit)
                : CompletableFuture.supplyAsync(() -> RequestBody.of(request, bodyBufferLimit),
                        delegate.executor().orElse(java.util.concurrent.ForkJoinPool.commonPool()))
                        .thenCompose(f -> f);
        prepared.whenComplete((body, error) -> {
            if (error != null) {
                result.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
                return;
            }
            if (result.isDone()) {
                return;
            }
            CompletableFuture<HttpResponse<T>> call = engine.executeAsync(spec(request, body, options),
                    new JdkTransport<>(this, request, handler, pushPromises, body));
            running.set(call);
            if (result.isCancelled()) {
                call.cancel(true);
            }
            call.whenComplete((response, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(response);
                }
            });
        });
        return result;
    }

    private static CallSpec spec(HttpRequest request, RequestBody body, CallOptions options) {
        return new CallSpec(request.method(), request.uri(), request.headers().map(), body.present(),
                body.replayable(), body.lengthKnown(), options);
    }

    /**
     * A client like the delegate but with its own connection pool, for the one retry that must go
     * on a new connection (after 421 Misdirected Request, RFC 9110 §15.5.20): the JDK has no way
     * to ask its pool for a new connection. Closed again when its exchange ends.
     */
    HttpClient freshDelegate() {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .followRedirects(Redirect.NEVER)
                .version(delegate.version())
                .sslContext(delegate.sslContext())
                .sslParameters(delegate.sslParameters());
        delegate.connectTimeout().ifPresent(builder::connectTimeout);
        delegate.proxy().ifPresent(builder::proxy);
        delegate.executor().ifPresent(builder::executor);
        return builder.build();
    }

    /** Closes a client on JDK 21 and later (before 21 its threads end when it is unreachable). */
    void closeQuietly(HttpClient client) {
        Lifecycle.invoke(client, "close");
    }

    // ---- lifecycle (java.net.http.HttpClient on JDK 21 and later) ------------------------------

    /**
     * Closes the wrapped client (JDK 21 and later: waits for its exchanges to finish, then
     * releases its connections and threads). On JDK 17 the JDK's client has no such method; this
     * does nothing there, and its threads end when it becomes unreachable.
     */
    public void close() {
        Lifecycle.invoke(delegate, "close");
    }

    /** Starts an orderly shutdown of the wrapped client (JDK 21 and later; nothing on 17). */
    public void shutdown() {
        Lifecycle.invoke(delegate, "shutdown");
    }

    /** Shuts the wrapped client down at once, aborting its exchanges (JDK 21 and later; nothing on 17). */
    public void shutdownNow() {
        Lifecycle.invoke(delegate, "shutdownNow");
    }

    /**
     * Waits for the wrapped client to terminate (JDK 21 and later).
     *
     * @return whether it terminated in time; false on JDK 17, where it cannot be told
     */
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        return Lifecycle.awaitTermination(delegate, duration);
    }

    /** Whether the wrapped client has terminated (JDK 21 and later; always false on 17). */
    public boolean isTerminated() {
        return Boolean.TRUE.equals(Lifecycle.invoke(delegate, "isTerminated"));
    }

    // ---- accessors -----------------------------------------------------------------------

    /** The policy this client follows. */
    public Policy policy() {
        return engine.policy();
    }

    /** The wrapped client. */
    public HttpClient delegate() {
        return delegate;
    }

    /** {@link BlockingSend#send} to the wrapped client, its choice of send made when this client was built. */
    <T> HttpResponse<T> sendToDelegate(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegateWaitsOnAsync ? BlockingSend.awaitAsync(delegate, request, handler)
                : delegate.send(request, handler);
    }

    /** The engine that carries out this client's calls. */
    public PolicyEngine engine() {
        return engine;
    }

    // ---- delegated ----------------------------------------------------------------------

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    /** {@link HttpClient.Redirect#NEVER}: the wrapped client follows none; the policy follows them. */
    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    @Override
    public String toString() {
        return "PolicyHttpClient[" + engine.policy() + ", delegate " + delegate + "]";
    }

    /**
     * Builds a {@link PolicyHttpClient}. Defaults: the guideline, no credentials, an in-memory
     * redirect memory of 1000 entries, no response store, real time, no listener, and request
     * bodies of unknown length buffered up to 8 MiB so they can be replayed.
     */
    public static final class Builder {
        private HttpClient.Builder delegateBuilder;
        /** Everything but the delegate and the body buffer is the engine's; its builder keeps it. */
        private final PolicyEngine.Builder engine = PolicyEngine.builder();
        private long bodyBufferLimit = 8L * 1024 * 1024;

        private Builder() {
        }

        /** The JDK client to build and wrap; its redirect following is set to NEVER. */
        public Builder delegate(HttpClient.Builder builder) {
            this.delegateBuilder = Objects.requireNonNull(builder, "builder");
            return this;
        }

        public Builder policy(Policy value) {
            engine.policy(value);
            return this;
        }

        /** Supplies and refreshes {@code Authorization} for the origin each call starts at. */
        public Builder credentials(CredentialSource value) {
            engine.credentials(value);
            return this;
        }

        /** Supplies and refreshes {@code Proxy-Authorization} (407). */
        public Builder proxyCredentials(CredentialSource value) {
            engine.proxyCredentials(value);
            return this;
        }

        /** Where permanent redirects are remembered; {@link RedirectStore#none()} to forget them. */
        public Builder redirectStore(RedirectStore value) {
            engine.redirectStore(value);
            return this;
        }

        /** Where responses with validators are kept for conditional requests; null for none. */
        public Builder responseStore(ResponseStore value) {
            engine.responseStore(value);
            return this;
        }

        /**
         * Where host holds are kept (by default in memory, for this client); a shared one
         * (statuspolicy-redis) makes a fleet hold off together.
         */
        public Builder holdStore(io.statuspolicy.engine.HoldStore value) {
            engine.holdStore(value);
            return this;
        }

        /** Where the per-origin circuit breakers are kept (by default in memory, for this client). */
        public Builder circuitStore(io.statuspolicy.engine.CircuitStore value) {
            engine.circuitStore(value);
            return this;
        }

        /** Adds a listener; several are told in the order added, each guarded. */
        public Builder listener(PolicyListener value) {
            engine.listener(value);
            return this;
        }

        /** The clock for deadlines, HTTP-dates and the budget (tests pass a fake one). */
        public Builder clock(Clock value) {
            engine.clock(value);
            return this;
        }

        /** How waits happen (tests pass a fake one that moves the fake clock). */
        public Builder sleeper(Sleeper value) {
            engine.sleeper(value);
            return this;
        }

        /** The source of jitter (tests pass a seeded one). */
        public Builder random(RandomGenerator value) {
            engine.random(value);
            return this;
        }

        /** The retry budget; by default one made from the policy's settings, for this client. */
        public Builder retryBudget(RetryBudget value) {
            engine.retryBudget(value);
            return this;
        }

        /** How much of a body of unknown length is buffered so it can be replayed (default 8 MiB). */
        public Builder bodyBufferLimit(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("bodyBufferLimit must not be negative, was " + bytes);
            }
            this.bodyBufferLimit = bytes;
            return this;
        }

        /** Builds the client, building the delegate from {@link #delegate} (or a default builder). */
        public PolicyHttpClient build() {
            BlockingSend.checkProperty(); // a bad value is refused before anything is built, naming the property
            HttpClient.Builder builder = delegateBuilder != null ? delegateBuilder : HttpClient.newBuilder();
            return new PolicyHttpClient(this, checked(builder.followRedirects(Redirect.NEVER).build()));
        }

        /**
         * Builds the client around an existing JDK client.
         *
         * @throws IllegalArgumentException if it follows redirects itself
         */
        public PolicyHttpClient build(HttpClient existing) {
            Objects.requireNonNull(existing, "existing");
            BlockingSend.checkProperty();
            if (existing instanceof PolicyHttpClient) {
                throw new IllegalArgumentException("the client already follows a policy; wrapping it again "
                        + "would multiply retries");
            }
            if (existing.followRedirects() != Redirect.NEVER) {
                throw new IllegalArgumentException("the wrapped client follows redirects itself ("
                        + existing.followRedirects() + "); build it with followRedirects(Redirect.NEVER) so that "
                        + "the policy decides every redirect");
            }
            return new PolicyHttpClient(this, checked(existing));
        }

        /**
         * Refuses what the JDK client would do on its own behind the policy's back: a cookie handler
         * adds cookies per request that the policy cannot keep to their origin across redirects, and
         * an authenticator answers 401 and 407 itself, outside the policy's one-refresh rule.
         */
        private static HttpClient checked(HttpClient client) {
            if (client.cookieHandler().isPresent()) {
                throw new IllegalArgumentException("the wrapped client has a CookieHandler; the JDK adds its "
                        + "cookies to every request, so they would follow a redirect to another origin. Build the "
                        + "client without cookieHandler(...) and send the Cookie field on the request instead");
            }
            if (client.authenticator().isPresent()) {
                throw new IllegalArgumentException("the wrapped client has an Authenticator, which answers 401 and "
                        + "407 on its own; build it without authenticator(...) and give the policy a "
                        + "CredentialSource (credentials(...), proxyCredentials(...)) instead");
            }
            return client;
        }
    }
}
