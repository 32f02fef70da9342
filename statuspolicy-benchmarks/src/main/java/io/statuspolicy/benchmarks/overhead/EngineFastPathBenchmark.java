package io.statuspolicy.benchmarks.overhead;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.FirstAttempt;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RetryBudgetSettings;
import java.net.URI;
import java.util.List;
import java.util.Map;
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
 * The engine's side of a synchronous fast-path call alone, without any client or adapter: what
 * an adapter asks of {@link FirstAttempt} for a 200 that completes the call (take a pooled object,
 * begin, decide the head from its status and framing fields, deliver and give it back). One
 * engine for all threads, as a client's threads share one; run with {@code -t 2} to see what a
 * second thread adds to the engine's part (docs/benchmarks.md, section P). With and without the
 * retry budget.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class EngineFastPathBenchmark {
    static final FirstAttempt.Pool<Attempt> POOL = new FirstAttempt.Pool<>(Attempt::new);
    static final List<String> LENGTH = List.of("0");
    PolicyEngine engine;
    PolicyEngine engineWithoutBudget;
    URI uri;
    Map<String, List<String>> headers;

    /** An adapter's pooled object with nothing of an adapter in it. */
    static final class Attempt extends FirstAttempt.Kept {
    }

    @Setup
    public void setUp() {
        engine = PolicyEngine.builder().build();
        engineWithoutBudget = PolicyEngine.builder()
                .policy(Policy.guideline().withLimits(limits -> limits.withRetryBudget(RetryBudgetSettings.OFF)))
                .build();
        uri = CallOverheadBenchmark.URI_200;
        headers = Map.of();
    }

    @Benchmark
    public boolean call200() {
        return call(engine);
    }

    @Benchmark
    public boolean call200WithoutBudget() {
        return call(engineWithoutBudget);
    }

    private boolean call(PolicyEngine on) {
        Attempt attempt = POOL.take();
        if (!attempt.begin(on, "GET", uri, headers, false, true, CallOptions.DEFAULT)) {
            throw new IllegalStateException("the fast path did not apply");
        }
        Decision.Complete done = attempt.completes(200, LENGTH, false);
        attempt.completing(done, headers);
        return attempt.deliveredQuietly();
    }
}
