package io.statuspolicy.benchmarks.apache5;

import io.statuspolicy.apache5.StatusPolicyApache5;
import io.statuspolicy.engine.PolicyEngine;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.HttpClientResponseHandler;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.message.BasicClassicHttpResponse;
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
 * A0 for Apache HttpClient 5 classic: one GET answered 200 with a 2-byte JSON body by a stub in
 * place of the chain's connect and transport steps ({@code replaceExecInterceptor(CONNECT)}: no
 * sockets, no pool), through the bare client and through the client with the policy installed.
 * "bare, switched off" is the bare client with the same switches {@code install} sets (no retry
 * and redirect execs, authentication off), so its difference to "policy" is the handler alone.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Apache5OverheadBenchmark {
    static final URI URI_200 = URI.create("http://stub.test/items/17");
    private static final byte[] BODY = "{}".getBytes(StandardCharsets.US_ASCII);

    /** Stands in for connect and transport: a prebuilt 200, its body in memory. */
    private static final ExecChainHandler STUB = (request, scope, chain) -> {
        BasicClassicHttpResponse response = new BasicClassicHttpResponse(200);
        response.addHeader("Content-Type", "application/json");
        response.addHeader("Content-Length", "2");
        response.setEntity(new ByteArrayEntity(BODY, ContentType.APPLICATION_JSON));
        return response;
    };

    private static final HttpClientResponseHandler<Integer> HANDLER = response -> {
        EntityUtils.consume(response.getEntity());
        return response.getCode();
    };

    CloseableHttpClient bare;
    CloseableHttpClient bareSwitchedOff;
    CloseableHttpClient policy;

    @Setup
    public void setUp() {
        bare = stubbed(HttpClients.custom()).build();
        bareSwitchedOff = stubbed(HttpClients.custom()).disableAutomaticRetries().disableRedirectHandling()
                .disableAuthCaching().setDefaultRequestConfig(StatusPolicyApache5.DEFAULT_REQUEST_CONFIG).build();
        policy = StatusPolicyApache5.of(PolicyEngine.builder().build()).install(stubbed(HttpClients.custom())).build();
    }

    private static HttpClientBuilder stubbed(HttpClientBuilder builder) {
        return builder.replaceExecInterceptor(ChainElement.CONNECT.name(), STUB);
    }

    @TearDown
    public void tearDown() throws IOException {
        bare.close();
        bareSwitchedOff.close();
        policy.close();
    }

    @Benchmark
    public Integer bareClient() throws IOException {
        return bare.execute(new HttpGet(URI_200), HANDLER);
    }

    @Benchmark
    public Integer bareClientSwitchedOff() throws IOException {
        return bareSwitchedOff.execute(new HttpGet(URI_200), HANDLER);
    }

    @Benchmark
    public Integer policyClient() throws IOException {
        return policy.execute(new HttpGet(URI_200), HANDLER);
    }
}
