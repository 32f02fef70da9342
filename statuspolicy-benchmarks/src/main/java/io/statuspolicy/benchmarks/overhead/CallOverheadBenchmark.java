package io.statuspolicy.benchmarks.overhead;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.statuspolicy.benchmarks.stub.StubHttpClient;
import io.statuspolicy.benchmarks.stub.StubReply;
import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.decision.ResponseFacts;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
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
 * A0, the happy path: one GET answered 200 by a stub transport (no sockets), bare and behind
 * each contender. Every contender wraps the same stub, the same request and the same body
 * handler; Resilience4j and Failsafe are configured as a developer would to match our behaviour
 * on these statuses: retry 429 and 503 as results, 3 attempts, no delay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CallOverheadBenchmark {
    static final URI URI_200 = URI.create("http://stub.test/items/17");

    StubHttpClient stub;
    HttpRequest request;
    BodyHandler<Void> handler;

    PolicyHttpClient ours;
    PolicyHttpClient oursInlineBody;
    PolicyHttpClient oursWithoutBudget;
    Decider decider;
    RequestFacts facts;
    AttemptState state;
    ResponseFacts ok;

    CheckedSupplier<HttpResponse<Void>> failsafeCall;
    FailsafeExecutor<HttpResponse<Void>> failsafe;
    io.github.resilience4j.core.functions.CheckedSupplier<HttpResponse<Void>> resilience4jCall;

    @Setup
    public void setUp() {
        stub = StubHttpClient.always(StubReply.of(200, "Content-Type", "application/json"));
        request = HttpRequest.newBuilder(URI_200).GET().build();
        handler = BodyHandlers.discarding();

        ours = PolicyHttpClient.builder().build(stub);
        oursWithoutBudget = PolicyHttpClient.builder()
                .policy(Policy.guideline().withLimits(limits -> limits.withRetryBudget(
                        io.statuspolicy.policy.RetryBudgetSettings.OFF)))
                .build(stub);
        oursInlineBody = PolicyHttpClient.builder().build(StubHttpClient.always(
                StubReply.of(200, "Content-Type", "application/json"), StubHttpClient.Delivery.INLINE));

        Policy policy = Policy.guideline();
        decider = new Decider(policy, Clock.systemUTC(), new SplittableRandom(1),
                RetryBudget.of(policy.limits().retryBudget()));
        facts = RequestFacts.of("GET", URI_200);
        state = decider.start(facts);
        ok = new ResponseFacts() {
            @Override
            public int status() {
                return 200;
            }

            @Override
            public List<String> headerValues(String name) {
                return List.of();
            }
        };

        RetryPolicy<HttpResponse<Void>> retryPolicy = RetryPolicy.<HttpResponse<Void>>builder()
                .handleResultIf(Statuses::retryable)
                .withMaxAttempts(3) // no delay: Failsafe's default, and it refuses an explicit zero
                .build();
        failsafe = Failsafe.with(retryPolicy);
        failsafeCall = () -> stub.send(request, handler);

        RetryConfig config = RetryConfig.<HttpResponse<Void>>custom()
                .maxAttempts(3)
                .waitDuration(Duration.ZERO)
                .retryOnResult(Statuses::retryable)
                .build();
        Retry retry = Retry.of("stub", config);
        resilience4jCall = Retry.decorateCheckedSupplier(retry, () -> stub.send(request, handler));
    }

    /** The baseline: the stub's own send. */
    @Benchmark
    public HttpResponse<Void> bare() throws Exception {
        return stub.send(request, handler);
    }

    /** Only the decision for a 200, as the executor asks for it (must allocate nothing). */
    @Benchmark
    public Decision decide200() {
        return decider.decide(facts, ok, state);
    }

    /** Our whole call: PolicyHttpClient over the stub. */
    @Benchmark
    public HttpResponse<Void> statuspolicy() throws Exception {
        return ours.send(request, handler);
    }

    /**
     * Our whole call when the body completes inline, during subscription. Before commit 07b29fa the
     * body-deadline timer was armed after such a body completed and never cancelled, so this cost
     * grew with the run (see docs/benchmarks.md); it now guards that fix and should equal
     * {@link #statuspolicy()}.
     */
    @Benchmark
    public HttpResponse<Void> statuspolicyInlineBody() throws Exception {
        return oursInlineBody.send(request, handler);
    }

    /** Ours with the retry budget off: what the budget's two records per call cost, by difference with {@link #statuspolicy()}. */
    @Benchmark
    public HttpResponse<Void> statuspolicyWithoutBudget() throws Exception {
        return oursWithoutBudget.send(request, handler);
    }

    @Benchmark
    public HttpResponse<Void> resilience4jRetry() throws Throwable {
        return resilience4jCall.get();
    }

    @Benchmark
    public HttpResponse<Void> failsafeRetryPolicy() {
        return failsafe.get(failsafeCall);
    }
}
