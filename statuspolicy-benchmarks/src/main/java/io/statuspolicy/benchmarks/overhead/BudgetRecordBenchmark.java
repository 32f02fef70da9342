package io.statuspolicy.benchmarks.overhead;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.policy.RetryBudgetSettings;
import java.net.URI;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The retry budget's share of a call on the happy path, measured alone: what the engine's fast
 * path does to the default budget for one call to an origin it used lately (a request recorded
 * at the call's start, a success at its end, both at the call's start time). The time is the
 * fast path's: a tick every 20 ms, published by a thread of its own and read by every caller, as
 * the engine's deadline timer publishes it. One budget for all threads, as a client's threads
 * share one; run with {@code -t 2} for two threads (docs/benchmarks.md, section P). The score
 * is per call, both records.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class BudgetRecordBenchmark {
    private static final long T0 = 1_800_000_000_000L;
    RetryBudget budget;
    URI uri;
    volatile long tick = T0;
    volatile boolean running;
    Thread ticker;

    @Setup
    public void setUp() {
        budget = RetryBudget.of(RetryBudgetSettings.DEFAULT);
        uri = CallOverheadBenchmark.URI_200;
        running = true;
        long started = System.nanoTime();
        ticker = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                tick = T0 + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            }
        }, "budget-benchmark-ticks");
        ticker.setDaemon(true);
        ticker.start();
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        running = false;
        ticker.interrupt();
        ticker.join();
    }

    /**
     * The machine's own reference for threads: work that touches no memory at all (about as
     * long as the budget's records on one thread), so whatever a second thread adds to it is the
     * processors' sharing (two vCPUs that are one core's hyperthreads on the host, say), not
     * contention in anything of ours. Divide a 2-thread figure by this one's 2-thread factor.
     */
    @Benchmark
    public void cpuOnly() {
        Blackhole.consumeCPU(40);
    }

    @Benchmark
    public void requestThenSuccess() {
        long now = tick;
        budget.recordRequest(uri, now);
        budget.recordSuccess(uri, 0, now);
    }
}
