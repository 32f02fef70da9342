package io.statuspolicy.benchmarks.overhead;

import io.statuspolicy.benchmarks.stub.StubHttpClient;
import io.statuspolicy.benchmarks.stub.StubReply;
import io.statuspolicy.jdk.PolicyHttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link CallOverheadThreads2}'s 200 path, but each of the 2 threads has a client of its own (its
 * own stub, engine, retry budget and stores); what they still share is the adapter's static state
 * (the pool of fast-path objects, the deadline timer). Beside {@code CallOverheadThreads2.statuspolicy}
 * it tells how much of the 2-thread contention is in one client's shared state and how much in
 * the static state (docs/benchmarks.md, section O).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(2)
public class OwnClientThreads2 {
    StubHttpClient stub;
    HttpRequest request;
    BodyHandler<Void> handler;
    PolicyHttpClient ours;

    @Setup
    public void setUp() {
        stub = StubHttpClient.always(StubReply.of(200, "Content-Type", "application/json"));
        request = HttpRequest.newBuilder(CallOverheadBenchmark.URI_200).GET().build();
        handler = BodyHandlers.discarding();
        ours = PolicyHttpClient.builder().build(stub);
    }

    @Benchmark
    public HttpResponse<Void> statuspolicy() throws Exception {
        return ours.send(request, handler);
    }
}
