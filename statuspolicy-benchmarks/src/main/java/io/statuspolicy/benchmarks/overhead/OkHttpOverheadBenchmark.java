package io.statuspolicy.benchmarks.overhead;

import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.okhttp.StatusPolicyOkHttp;
import io.statuspolicy.policy.Policy;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
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
 * A0 for OkHttp: one GET answered 200 by a stub (an application interceptor that answers without
 * the network, so OkHttp's call, dispatcher bookkeeping and interceptor chain all run), over the
 * bare client and over the client with the policy installed (the stub added after it, so it
 * answers each attempt). Each call closes its response, as a caller does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class OkHttpOverheadBenchmark {
    OkHttpClient bare;
    OkHttpClient ours;
    Request request;

    /** Answers 200 with a two-byte JSON body, never touching a socket. */
    static final class Stub implements Interceptor {
        private static final MediaType JSON = MediaType.get("application/json");

        @Override
        public Response intercept(Chain chain) throws IOException {
            return new Response.Builder()
                    .request(chain.request())
                    .protocol(Protocol.HTTP_1_1)
                    .code(200)
                    .message("OK")
                    .header("Content-Type", "application/json")
                    .body(ResponseBody.create(new byte[] {'{', '}'}, JSON))
                    .build();
        }
    }

    @Setup
    public void setUp() {
        request = new Request.Builder().url("http://stub.test/items/17").build();
        bare = new OkHttpClient.Builder().addInterceptor(new Stub()).build();
        PolicyEngine engine = PolicyEngine.builder().policy(Policy.guideline()).build();
        ours = StatusPolicyOkHttp.install(new OkHttpClient.Builder(), engine).addInterceptor(new Stub()).build();
    }

    /** The baseline: the bare client's execute() over the stub. */
    @Benchmark
    public int bare() throws IOException {
        try (Response response = bare.newCall(request).execute()) {
            return response.code();
        }
    }

    /** The same call with the policy installed. */
    @Benchmark
    public int statuspolicy() throws IOException {
        try (Response response = ours.newCall(request).execute()) {
            return response.code();
        }
    }
}
