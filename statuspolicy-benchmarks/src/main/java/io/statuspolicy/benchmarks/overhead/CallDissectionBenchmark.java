package io.statuspolicy.benchmarks.overhead;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.AttemptState;
import io.statuspolicy.decision.Conditional;
import io.statuspolicy.decision.Decider;
import io.statuspolicy.decision.RequestFacts;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time and the bytes of {@code PolicyHttpClient} on a 200 go: each step the executor
 * takes for one call (statuspolicy-jdk's {@code Call}, at the commit named in
 * docs/benchmarks.md), measured alone. Steps inside statuspolicy-core call the real code; steps
 * inside statuspolicy-jdk's package-private classes are the same JDK calls those classes make,
 * in the same order, because they cannot be called from here. The figures are for attributing
 * the whole call's cost, not a second implementation of it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class CallDissectionBenchmark {
    static final URI URI_200 = URI.create("http://stub.test/items/17");

    ScheduledThreadPoolExecutor timer;
    HttpRequest original;
    Decider decider;
    Clock clock;
    RetryBudget budget;

    @Setup
    public void setUp() {
        // As Bodies.TIMER: one daemon thread, removed on cancel, idle thread exits after 5 s.
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "dissection-body-deadline");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.setKeepAliveTime(5, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        original = HttpRequest.newBuilder(URI_200).GET().build();
        Policy policy = Policy.guideline();
        clock = Clock.systemUTC();
        budget = RetryBudget.of(policy.limits().retryBudget());
        decider = new Decider(policy, clock, new SplittableRandom(1), budget);
    }

    @TearDown
    public void tearDown() {
        timer.shutdownNow();
    }

    /**
     * The body deadline as it was at commit 62d256a (Bodies.DeadlineSubscriber): a
     * ScheduledThreadPoolExecutor task armed when the returned body is subscribed and cancelled
     * when it completes, with the call's 2 min deadline. Kept as the measurement that led to the
     * coarse shared timer (Deadlines) used since 07b29fa.
     */
    @Benchmark
    public boolean bodyDeadlineTimer() {
        ScheduledFuture<?> task = timer.schedule(() -> { }, 120_000, TimeUnit.MILLISECONDS);
        return task.cancel(false);
    }

    /** Call.buildRequest for a GET without headers: a new HttpRequest with the deadline as timeout. */
    @Benchmark
    public HttpRequest rebuildRequest() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(original.uri()).expectContinue(original.expectContinue());
        original.version().ifPresent(builder::version);
        Duration timeout = original.timeout().orElse(null);
        Duration left = Duration.ofMillis(120_000);
        timeout = timeout == null || left.compareTo(timeout) < 0 ? left : timeout;
        builder.timeout(timeout);
        original.headers().map().forEach((name, values) -> {
            for (String value : values) {
                builder.header(name, value);
            }
        });
        builder.method("GET", HttpRequest.BodyPublishers.noBody());
        return builder.build();
    }

    /**
     * Call.begin and Call.prepareHop read five header fields of the caller's request with
     * HttpHeaders.firstValue, which streams (spliterator, sink, Optional) even when absent.
     */
    @Benchmark
    public int headerLookups() {
        HttpHeaders headers = original.headers();
        int present = 0;
        present += headers.firstValue("Authorization").isPresent() ? 1 : 0;
        present += headers.firstValue("If-None-Match").isPresent() ? 1 : 0;
        present += headers.firstValue("If-Modified-Since").isPresent() ? 1 : 0;
        present += headers.firstValue("Idempotency-Key").isPresent() ? 1 : 0;
        present += headers.allValues("Cookie").isEmpty() ? 0 : 1;
        return present;
    }

    /** The same five lookups on the header map, for comparison: no streams, no Optional. */
    @Benchmark
    public int headerLookupsOnMap() {
        var map = original.headers().map();
        int present = 0;
        present += map.containsKey("Authorization") ? 1 : 0;
        present += map.containsKey("If-None-Match") ? 1 : 0;
        present += map.containsKey("If-Modified-Since") ? 1 : 0;
        present += map.containsKey("Idempotency-Key") ? 1 : 0;
        present += map.containsKey("Cookie") ? 1 : 0;
        return present;
    }

    /** The call's policy state: its facts, Decider.start and the budget's record of the request. */
    @Benchmark
    public AttemptState callState() {
        RequestFacts facts = new RequestFacts("GET", URI_200, false, false, false, false, false, null, null,
                Conditional.NONE, false, false, false);
        AttemptState state = decider.start(facts);
        budget.recordRequest(io.statuspolicy.budget.RetryBudget.keyOf(URI_200), state.startMillis());
        return state;
    }

    /**
     * The future plumbing of one call (Call.start, attempt, onOutcome): the result future, the
     * in-flight reference, the list of earlier failures, the completed body future and three
     * whenComplete stages.
     */
    @Benchmark
    public Object futurePlumbing() {
        CompletableFuture<Object> result = new CompletableFuture<>();
        AtomicReference<Object> inFlight = new AtomicReference<>();
        java.util.ArrayList<Throwable> earlier = new java.util.ArrayList<>();
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                inFlight.set(earlier);
            }
        });
        CompletableFuture<Object> prepared = CompletableFuture.completedFuture(Boolean.TRUE);
        prepared.whenComplete((value, error) -> {
            CompletableFuture<Object> sent = CompletableFuture.completedFuture(value);
            inFlight.set(sent);
            sent.whenComplete((response, failure) -> result.complete(response));
        });
        return result.join();
    }
}
