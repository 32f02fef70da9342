package io.statuspolicy.feign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feign.Client;
import feign.Feign;
import feign.FeignException;
import feign.Request;
import feign.RequestLine;
import feign.Response;
import feign.RetryableException;
import feign.codec.ErrorDecoder;
import io.statuspolicy.engine.Attempt;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.okhttp.StatusPolicyOkHttp;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the Feign adapter does that the conformance suite cannot see: through real Feign proxies. */
class FeignAdapterTest {
    interface Api {
        @RequestLine("GET /r")
        String get();
    }

    interface Orders {
        @RequestLine("POST /orders")
        String create(String body);
    }

    private final ScriptedServer server = ScriptedServer.start();
    private final FakeClock clock = new FakeClock();
    private final StatusPolicyFeign policy = StatusPolicyFeign.with(PolicyEngine.builder().clock(clock)
            .sleeper(new FakeSleeper(clock)).build());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void feignsOwnRetryerIsReplacedSoAnExhaustedCallIsNotRunAgain() {
        server.on("/r", Reply.status(503).header("Retry-After", "1").body("down"));
        Api api = Feign.builder().addCapability(policy.capability()) // Feign's default Retryer: 5 attempts
                .target(Api.class, "http://127.0.0.1:" + server.port());

        assertThatThrownBy(api::get).isInstanceOf(RetryableException.class)
                .hasCauseInstanceOf(PolicyException.class).hasMessageContaining("4 of 4 attempts");
        assertThat(server.requestCount()).as("the policy's 4, not 4 x 5").isEqualTo(4);
    }

    @Test
    void aRedirectIsFollowedOnceByThePolicyNotByTheClientUnderIt() {
        server.on("/r", Reply.redirect(302, "/next"));
        server.on("/next", Reply.ok("arrived"));
        Api api = Feign.builder().options(new Request.Options(1, TimeUnit.SECONDS, 5, TimeUnit.SECONDS, true))
                .addCapability(policy.capability()).target(Api.class, "http://127.0.0.1:" + server.port());

        assertThat(api.get()).isEqualTo("arrived");
        assertThat(server.requests("/r")).hasSize(1);
        assertThat(server.requests("/next")).hasSize(1);
    }

    @Test
    void aStatusThePolicyReturnsStillReachesTheErrorDecoder() {
        server.on("/r", Reply.status(404).body("no such case"));
        List<Integer> decoded = new CopyOnWriteArrayList<>();
        ErrorDecoder recording = (key, response) -> {
            decoded.add(response.status());
            return new ErrorDecoder.Default().decode(key, response);
        };
        Api api = Feign.builder().errorDecoder(recording).addCapability(policy.capability())
                .target(Api.class, "http://127.0.0.1:" + server.port());

        assertThatThrownBy(api::get).isInstanceOf(FeignException.NotFound.class).hasMessageContaining("no such case");
        assertThat(decoded).containsExactly(404);
    }

    @Test
    void anOkHttpClientThatAlreadyRunsThePolicyInterceptorIsRefused() {
        okhttp3.OkHttpClient withPolicy = StatusPolicyOkHttp.with(PolicyEngine.builder().build())
                .install(new okhttp3.OkHttpClient.Builder()).build();
        assertThatThrownBy(() -> policy.client(new feign.okhttp.OkHttpClient(withPolicy)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already runs the statuspolicy-okhttp interceptor")
                .hasMessageContaining("the policy would run twice");
    }

    /** The organisation's stack: Feign over OkHttp. OkHttp alone would resend this 503 to the POST. */
    @Test
    void overANeutralOkHttpA503WithRetryAfterZeroToAPostIsSentOnce() {
        server.on("/orders", Reply.status(503).header("Retry-After", "0").body("busy"), Reply.status(201).body("made"));
        okhttp3.OkHttpClient okhttp = StatusPolicyOkHttp.neutral(new okhttp3.OkHttpClient.Builder()).build();
        try {
            Orders orders = Feign.builder().client(new feign.okhttp.OkHttpClient(okhttp))
                    .addCapability(policy.capability()).target(Orders.class, "http://127.0.0.1:" + server.port());

            assertThatThrownBy(() -> orders.create("{}")).isInstanceOf(FeignException.class)
                    .hasMessageContaining("503");
            assertThat(server.requests("/orders")).as("a POST without a key: sent once").hasSize(1);
        } finally {
            okhttp.dispatcher().executorService().shutdown();
            okhttp.connectionPool().evictAll();
        }
    }

    @Test
    void anOkHttpClientThatIsNotNeutralIsRefusedNamingTheFix() {
        assertThatThrownBy(() -> policy.client(new feign.okhttp.OkHttpClient(new okhttp3.OkHttpClient())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Retry-After: 0")
                .hasMessageContaining("StatusPolicyOkHttp.neutral(new OkHttpClient.Builder())");
        assertThatThrownBy(() -> policy.client(new feign.okhttp.OkHttpClient(StatusPolicyOkHttp.neutral(
                new okhttp3.OkHttpClient.Builder()).retryOnConnectionFailure(true).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryOnConnectionFailure(false)");
        assertThat(policy.client(new feign.okhttp.OkHttpClient(
                StatusPolicyOkHttp.neutral(new okhttp3.OkHttpClient.Builder()).build()))).isNotNull();
    }

    @Test
    void installingTwiceIsRefusedButTheCapabilityLeavesADecoratedClientAlone() {
        Client once = policy.client(new Client.Default(null, null));
        assertThatThrownBy(() -> policy.client(once)).hasMessageContaining("install StatusPolicyFeign once");
        assertThat(policy.capability().enrich(once)).isSameAs(once);
        assertThat(policy.capability().enrich(new feign.Retryer.Default())).isSameAs(feign.Retryer.NEVER_RETRY);
    }

    @Test
    void eachAttemptGetsTheTimeLeftAndNeverFollowsRedirects() {
        Request.Options caller = new Request.Options(2, TimeUnit.SECONDS, 60, TimeUnit.SECONDS, true);
        Attempt soon = new Attempt(2, "GET", URI.create("http://a.test/"), Map.of(), Attempt.BodyMode.NONE, 1500, false);
        Request.Options cut = FeignCalls.options(caller, soon);
        assertThat(cut.connectTimeoutMillis()).isEqualTo(1500);
        assertThat(cut.readTimeoutMillis()).isEqualTo(1500);
        assertThat(cut.isFollowRedirects()).isFalse();

        Attempt unbounded = new Attempt(1, "GET", URI.create("http://a.test/"), Map.of(), Attempt.BodyMode.NONE,
                Long.MAX_VALUE, false);
        assertThat(FeignCalls.options(caller, unbounded).readTimeoutMillis()).isEqualTo(60_000);
        Attempt spent = new Attempt(1, "GET", URI.create("http://a.test/"), Map.of(), Attempt.BodyMode.NONE, 0, false);
        assertThat(FeignCalls.options(caller, spent).readTimeoutMillis()).as("0 would mean no timeout").isEqualTo(1);
    }

    @Test
    void aLocationInRawUtf8ReadAsLatin1IsRestored() {
        assertThat(FeignExchange.asSent("/caf\u00c3\u00a9")).isEqualTo("/caf\u00e9");
        assertThat(FeignExchange.asSent("/caf\u00e9")).as("not valid UTF-8 bytes: left alone").isEqualTo("/caf\u00e9");
        assertThat(FeignExchange.asSent("/plain")).isEqualTo("/plain");
    }

    @Test
    void responsesHandedOnCarryTheCallersRequest() throws Exception {
        server.on("/r", Reply.status(503), Reply.ok("fine"));
        Request request = Request.create(Request.HttpMethod.GET, server.uri("/r").toString(), Map.of(), null,
                null, null);
        try (Response response = policy.client(new Client.Default(null, null)).execute(request,
                new Request.Options())) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.request()).isSameAs(request);
        }
    }
}
