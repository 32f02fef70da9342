package io.statuspolicy.benchmarks.overhead;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.statuspolicy.benchmarks.stub.StubHttpClient;
import io.statuspolicy.benchmarks.stub.StubReply;
import io.statuspolicy.jdk.PolicyHttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
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
 * A0 with several threads: the 200 path of {@link CallOverheadBenchmark}, but every thread calls
 * one shared client (one stub, one {@code PolicyHttpClient}, one Resilience4j {@code Retry}, one
 * Failsafe executor), as the threads of a service share one client. What this adds over the
 * single-thread figures is contention: anything the call writes that every call shares (a lock,
 * a counter, a queue) shows here. The thread counts are the subclasses' ({@code CallOverheadThreads2},
 * {@code CallOverheadThreads4}); the score is the time per call seen by each thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public abstract class SharedClientBenchmark {
    StubHttpClient stub;
    HttpRequest request;
    BodyHandler<Void> handler;
    PolicyHttpClient ours;
    PolicyHttpClient oursWithoutBudget;
    FailsafeExecutor<HttpResponse<Void>> failsafe;
    dev.failsafe.function.CheckedSupplier<HttpResponse<Void>> failsafeCall;
    io.github.resilience4j.core.functions.CheckedSupplier<HttpResponse<Void>> resilience4jCall;

    @Setup
    public void setUp() {
        stub = StubHttpClient.always(StubReply.of(200, "Content-Type", "application/json"));
        request = HttpRequest.newBuilder(CallOverheadBenchmark.URI_200).GET().build();
        handler = BodyHandlers.discarding();
        ours = PolicyHttpClient.builder().build(stub);
        oursWithoutBudget = PolicyHttpClient.builder()
                .policy(io.statuspolicy.policy.Policy.guideline().withLimits(limits -> limits.withRetryBudget(
                        io.statuspolicy.policy.RetryBudgetSettings.OFF)))
                .build(stub);
        failsafe = Failsafe.with(RetryPolicy.<HttpResponse<Void>>builder()
                .handleResultIf(Statuses::retryable).withMaxAttempts(3).build());
        failsafeCall = () -> stub.send(request, handler);
        Retry retry = Retry.of("stub", RetryConfig.<HttpResponse<Void>>custom()
                .maxAttempts(3).waitDuration(Duration.ZERO).retryOnResult(Statuses::retryable).build());
        resilience4jCall = Retry.decorateCheckedSupplier(retry, () -> stub.send(request, handler));
    }

    @Benchmark
    public HttpResponse<Void> bare() throws Exception {
        return stub.send(request, handler);
    }

    @Benchmark
    public HttpResponse<Void> statuspolicy() throws Exception {
        return ours.send(request, handler);
    }

    /**
     * Ours with the retry budget off: what the budget's records (one per request, one per
     * success) cost when the threads share one client, by difference with {@link #statuspolicy()}.
     */
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
