package io.statuspolicy.benchmarks.overhead;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.statuspolicy.benchmarks.stub.StubHttpClient;
import io.statuspolicy.benchmarks.stub.StubReply;
import io.statuspolicy.benchmarks.stub.VirtualTime;
import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.engine.ResponseStore;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A0, our feature paths on their own, each over a stub that answers every call the same way:
 * one redirect hop (302 then 200), a 304 answered from the response store, a 401 answered by a
 * credential refresh, and a 503 then 200 with the default backoff on a virtual clock. For the
 * retry the peers run the same 503-then-200 stub with no delay; {@link #bareTwoExchanges} is the
 * floor for every path that needs two exchanges.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FeaturePathBenchmark {
    static final URI ITEMS = URI.create("http://stub.test/items/17");
    static final URI OLD = URI.create("http://stub.test/old/17");

    HttpRequest items;
    HttpRequest old;
    BodyHandler<Void> handler;

    StubHttpClient always200;
    PolicyHttpClient redirecting;
    PolicyHttpClient caching;
    PolicyHttpClient refreshing;
    PolicyHttpClient retrying;

    StubHttpClient flaky;
    FailsafeExecutor<HttpResponse<Void>> failsafe;
    CheckedSupplier<HttpResponse<Void>> failsafeCall;
    io.github.resilience4j.core.functions.CheckedSupplier<HttpResponse<Void>> resilience4jCall;

    @Setup
    public void setUp() throws Exception {
        items = HttpRequest.newBuilder(ITEMS).GET().build();
        old = HttpRequest.newBuilder(OLD).GET().build();
        handler = BodyHandlers.discarding();
        StubReply ok = StubReply.of(200, "Content-Type", "application/json");
        always200 = StubHttpClient.always(ok);

        // One hop: /old answers 302 to /items (temporary, so it is not remembered).
        StubReply found = StubReply.of(302, "Location", "/items/17");
        redirecting = PolicyHttpClient.builder().build(new StubHttpClient(
                request -> request.uri().getPath().startsWith("/old/") ? found : ok));

        // The store holds a 200 with an ETag; every later call is conditional and gets a 304.
        StubReply fresh = StubReply.withBody(200, "{\"id\":17,\"name\":\"seventeen\"}".getBytes(StandardCharsets.UTF_8),
                "ETag", "\"v1\"", "Content-Type", "application/json");
        StubReply notModified = StubReply.of(304, "ETag", "\"v1\"");
        caching = PolicyHttpClient.builder().responseStore(ResponseStore.inMemory(1 << 20)).build(new StubHttpClient(
                request -> request.headers().firstValue("If-None-Match").isPresent() ? notModified : fresh));
        caching.send(items, BodyHandlers.ofByteArray());

        // One-time tokens: each call's current token was spent by the call before, so every call
        // gets a 401, refreshes once and succeeds.
        OneTimeTokens tokens = new OneTimeTokens();
        StubReply unauthorized = StubReply.of(401, "WWW-Authenticate", "Bearer");
        refreshing = PolicyHttpClient.builder().credentials(tokens).build(new StubHttpClient(
                request -> tokens.accept(request.headers().firstValue("Authorization").orElse(null))
                        ? ok : unauthorized));

        // 503 then 200 on every call, the default backoff on a virtual clock, no budget (every
        // call retries once: the budget would rightly refuse after a few).
        StubReply unavailable = StubReply.of(503);
        VirtualTime time = new VirtualTime();
        retrying = PolicyHttpClient.builder().clock(time).sleeper(time).retryBudget(RetryBudget.unlimited())
                .build(new StubHttpClient(new Alternating(unavailable, ok)));

        flaky = new StubHttpClient(new Alternating(unavailable, ok));
        RetryPolicy<HttpResponse<Void>> retryPolicy = RetryPolicy.<HttpResponse<Void>>builder()
                .handleResultIf(Statuses::retryable)
                .withMaxAttempts(3) // no delay: Failsafe's default, and it refuses an explicit zero
                .build();
        failsafe = Failsafe.with(retryPolicy);
        failsafeCall = () -> flaky.send(items, handler);
        Retry retry = Retry.of("flaky", RetryConfig.<HttpResponse<Void>>custom()
                .maxAttempts(3)
                .waitDuration(Duration.ZERO)
                .retryOnResult(Statuses::retryable)
                .build());
        resilience4jCall = Retry.decorateCheckedSupplier(retry, () -> flaky.send(items, handler));
    }

    /** The floor for two-exchange paths: two bare stub calls. */
    @Benchmark
    public HttpResponse<Void> bareTwoExchanges() throws Exception {
        always200.send(items, handler);
        return always200.send(items, handler);
    }

    @Benchmark
    public HttpResponse<Void> redirectOneHop() throws Exception {
        return redirecting.send(old, handler);
    }

    @Benchmark
    public HttpResponse<Void> notModifiedFromCache() throws Exception {
        return caching.send(items, handler);
    }

    @Benchmark
    public HttpResponse<Void> unauthorizedThenRefresh() throws Exception {
        return refreshing.send(items, handler);
    }

    @Benchmark
    public HttpResponse<Void> unavailableThenOk() throws Exception {
        return retrying.send(items, handler);
    }

    @Benchmark
    public HttpResponse<Void> unavailableThenOkResilience4j() throws Throwable {
        return resilience4jCall.get();
    }

    @Benchmark
    public HttpResponse<Void> unavailableThenOkFailsafe() {
        return failsafe.get(failsafeCall);
    }

    /** Answers first, second, first, second... (single benchmark thread). */
    static final class Alternating implements StubHttpClient.Responder {
        private final StubReply first;
        private final StubReply second;
        private boolean odd;

        Alternating(StubReply first, StubReply second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public StubReply reply(HttpRequest request) {
            odd = !odd;
            return odd ? first : second;
        }
    }

    /**
     * Two tokens that take turns: the server accepts only the one it has not seen last, so the
     * token a call starts with was always spent by the call before.
     */
    static final class OneTimeTokens implements CredentialSource {
        private static final String A = "Bearer a";
        private static final String B = "Bearer b";
        private volatile String expected = A;

        boolean accept(String authorization) {
            if (expected.equals(authorization)) {
                expected = authorization.equals(A) ? B : A;
                return true;
            }
            return false;
        }

        @Override
        public String current(URI uri) {
            return B;
        }

        @Override
        public String refresh(URI uri, String refused) {
            return A.equals(refused) ? B : A;
        }
    }
}
