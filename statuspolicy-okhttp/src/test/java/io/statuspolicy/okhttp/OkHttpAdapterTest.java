package io.statuspolicy.okhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import io.statuspolicy.time.Sleeper;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Cookie;
import okhttp3.CookieJar;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the generic suite cannot say about OkHttp: that the client's own follow-ups are really
 * off, that async waits hold no dispatcher thread, and what the adapter does with OkHttp's own
 * types (one-shot bodies, cookies, prior responses, streamed bodies). Real OkHttp, real server
 * on 127.0.0.1.
 */
class OkHttpAdapterTest {
    /** The guideline without jitter, and without a retry budget, so that ten calls to one host may all wait. */
    private static final Policy EXACT = Policy.guideline().withLimits(l -> l.withBackoff(l.backoff().withJitter(0))
            .withRetryBudget(io.statuspolicy.policy.RetryBudgetSettings.OFF));

    private ScriptedServer a;
    private ScriptedServer b;
    private final List<OkHttpClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        a = ScriptedServer.start();
        b = ScriptedServer.start();
    }

    /** After each test: every connection the clients opened is back in the pool, idle, or closed. */
    @AfterEach
    void noConnectionLeftInUse() throws InterruptedException {
        try {
            for (OkHttpClient client : clients) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                // A callback completes the test's future just before OkHttp counts its call finished.
                while ((client.connectionPool().connectionCount() != client.connectionPool().idleConnectionCount()
                        || client.dispatcher().runningCallsCount() != 0) && System.nanoTime() < until) {
                    Thread.sleep(10);
                }
                assertThat(client.connectionPool().connectionCount())
                        .as("connections in use").isEqualTo(client.connectionPool().idleConnectionCount());
                assertThat(client.dispatcher().runningCallsCount()).as("running calls").isZero();
            }
            assertThat(io.statuspolicy.engine.DeadlineTimer.armed()).as("deadlines left armed").isZero();
            assertThat(a.awaitNoBodyInProgress(Duration.ofSeconds(3))).isTrue();
            assertThat(b.awaitNoBodyInProgress(Duration.ofSeconds(3))).isTrue();
        } finally {
            clients.forEach(c -> {
                c.dispatcher().executorService().shutdown();
                c.connectionPool().evictAll();
            });
            a.close();
            b.close();
        }
    }

    private OkHttpClient installed(OkHttpClient.Builder builder, Sleeper sleeper) {
        return installed(builder, sleeper, EXACT);
    }

    private OkHttpClient installed(OkHttpClient.Builder builder, Sleeper sleeper, Policy policy) {
        PolicyEngine engine = PolicyEngine.builder().policy(policy).sleeper(sleeper).build();
        return keep(StatusPolicyOkHttp.install(builder, engine).build());
    }

    /**
     * Without host holds (issue 11), for the scenarios whose waits a {@link HeldSleeper} releases by
     * hand on the real clock, before the {@code Retry-After} has passed: with holds on, the 503's
     * hold would (rightly) keep every call to the origin waiting. The holds themselves are covered
     * by the conformance suite's {@code HostScenarios}.
     */
    private static final Policy EXACT_NO_HOLDS = EXACT.withLimits(l -> l.withHostHolds(false));

    private OkHttpClient keep(OkHttpClient client) {
        clients.add(client);
        return client;
    }

    private static Request post(ScriptedServer server, String path) {
        return new Request.Builder().url(server.uri(path).toString())
                .post(RequestBody.create("{}".getBytes(), MediaType.get("application/json"))).build();
    }

    @Test
    void a503WithRetryAfterZeroToAPostIsSentOnce() throws IOException {
        a.on("/orders", Reply.status(503).header("Retry-After", "0"), Reply.status(201));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system());

        try (Response response = client.newCall(post(a, "/orders")).execute()) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.header("Retry-After")).as("the field the caller sees").isEqualTo("0");
            assertThat(response.header(HeadGuard.RETRY_AFTER)).isNull();
        }
        assertThat(a.requests("/orders")).hasSize(1);
    }

    @Test
    void withoutThePolicyOkHttpResendsThat503ItselfWhichIsWhatTheGuardPrevents() throws IOException {
        a.on("/orders", Reply.status(503).header("Retry-After", "0"), Reply.status(201));
        OkHttpClient bare = keep(new OkHttpClient.Builder().retryOnConnectionFailure(false).build());

        try (Response response = bare.newCall(post(a, "/orders")).execute()) {
            assertThat(response.code()).isEqualTo(201);
        }
        assertThat(a.requests("/orders")).hasSize(2);
    }

    @Test
    void a401IsDecidedByThePolicyEvenWithAnAuthenticatorOnTheClient() throws IOException {
        a.on("/secret", Reply.status(401).header("WWW-Authenticate", "Basic realm=\"x\""), Reply.ok("in"));
        List<Response> asked = new ArrayList<>();
        OkHttpClient client = installed(new OkHttpClient.Builder().authenticator((route, response) -> {
            asked.add(response);
            return response.request().newBuilder().header("Authorization", "Basic dXNlcjpwYXNz").build();
        }), Sleeper.system());

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/secret").toString()).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(401);
        }
        assertThat(asked).as("the client's authenticator is never asked").isEmpty();
        assertThat(a.requests("/secret")).hasSize(1);
    }

    @Test
    void a407WithoutAProxyIsReturnedNotTurnedIntoAProtocolException() throws IOException {
        a.on("/p", Reply.status(407).header("Proxy-Authenticate", "Basic realm=\"p\"").body("refused"));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system());

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/p").toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(407);
            assertThat(response.body().string()).isEqualTo("refused");
            assertThat(response.header(HeadGuard.STATUS)).isNull();
        }
        assertThat(a.requests("/p")).hasSize(1);
    }

    @Test
    void aServerCannotForgeTheGuardsFields() throws IOException {
        a.on("/forged", Reply.status(400).header(HeadGuard.STATUS, "407").header(HeadGuard.RETRY_AFTER, "0"));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system());

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/forged").toString()).build())
                .execute()) {
            assertThat(response.code()).isEqualTo(400);
            assertThat(response.header("Retry-After")).isNull();
        }
    }

    /** For a layer that drives OkHttp attempt by attempt (Feign): OkHttp decides nothing, the responses arrive as sent. */
    @Test
    void aNeutralClientRepeatsFollowsAndAnswersNothing() throws IOException {
        a.on("/orders", Reply.status(503).header("Retry-After", "0"), Reply.status(201));
        a.on("/p", Reply.status(407).header("Proxy-Authenticate", "Basic realm=\"p\""));
        a.on("/r", Reply.redirect(302, "/there"));
        OkHttpClient neutral = keep(StatusPolicyOkHttp.neutral(new OkHttpClient.Builder()
                .authenticator((route, response) -> response.request())).build());

        try (Response response = neutral.newCall(post(a, "/orders")).execute()) {
            assertThat(response.code()).isEqualTo(503);
            assertThat(response.header("Retry-After")).isEqualTo("0");
        }
        try (Response response = neutral.newCall(new Request.Builder().url(a.uri("/p").toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(407);
        }
        try (Response response = neutral.newCall(new Request.Builder().url(a.uri("/r").toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(302);
        }
        assertThat(a.requests("/orders")).hasSize(1);
        assertThat(a.requests("/p")).hasSize(1);
        assertThat(a.requests("/there")).isEmpty();
        assertThatThrownBy(() -> StatusPolicyOkHttp.neutral(neutral.newBuilder()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once");
    }


    @Test
    void aClientThatFollowsRedirectsIsRefusedNamingTheSetting() {
        a.on("/r", Reply.redirect(302, "/there"));
        OkHttpClient installedClient = installed(new OkHttpClient.Builder(), Sleeper.system());
        OkHttpClient following = keep(installedClient.newBuilder().followRedirects(true).build());

        assertThatThrownBy(() -> following.newCall(new Request.Builder().url(a.uri("/r").toString()).build()).execute())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("followRedirects(true)")
                .hasMessageContaining("followRedirects(false)");
        assertThat(a.requestCount()).isZero();
    }

    @Test
    void installingTwiceAndAFactoryForAPlainClientAreRefused() {
        PolicyEngine engine = PolicyEngine.builder().build();
        OkHttpClient.Builder builder = StatusPolicyOkHttp.install(new OkHttpClient.Builder(), engine);

        assertThatThrownBy(() -> StatusPolicyOkHttp.install(builder, engine))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
        assertThatThrownBy(() -> StatusPolicyOkHttp.callFactory(keep(new OkHttpClient())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("StatusPolicyOkHttp.install");
        assertThatThrownBy(() -> StatusPolicyOkHttp.with(engine).bufferResponseBodies(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void aOneShotBodyIsNeverSentTwice() throws IOException {
        a.on("/upload", Reply.status(503), Reply.status(204));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system());
        RequestBody oneShot = new RequestBody() {
            @Override
            public MediaType contentType() {
                return null;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8("once");
            }
        };

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/upload").toString()).put(oneShot)
                .build()).execute()) {
            assertThat(response.code()).isEqualTo(503);
        }
        assertThat(a.requests("/upload")).hasSize(1);
    }

    @Test
    void aStreamedBodyThatBreaksIsTheCallersIoExceptionAndIsNotRetried() throws IOException {
        a.on("/cut", Reply.ok("y".repeat(4096)).fault(Fault.DISCONNECT_DURING_BODY), Reply.ok("whole"));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system()); // streaming: no buffering

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/cut").toString()).build()).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().bytes()).isInstanceOf(IOException.class)
                    .isNotInstanceOf(PolicyException.class);
        }
        assertThat(a.requests("/cut")).hasSize(1);
    }

    @Test
    void aRedirectKeepsThePriorResponseAndCookiesStayWithTheirOrigin() throws IOException {
        a.on("/start", Reply.redirect(302, b.uri("/elsewhere").toString()));
        b.on("/elsewhere", Reply.redirect(302, a.uri("/home").toString()));
        a.on("/home", Reply.ok("home"));
        List<HttpUrl> asked = new ArrayList<>();
        CookieJar jar = new CookieJar() {
            @Override
            public void saveFromResponse(HttpUrl url, List<Cookie> cookies) {
            }

            @Override
            public List<Cookie> loadForRequest(HttpUrl url) {
                asked.add(url);
                return List.of(new Cookie.Builder().name("sid").value("SECRET").domain("127.0.0.1").build());
            }
        };
        OkHttpClient client = installed(new OkHttpClient.Builder().cookieJar(jar), Sleeper.system());

        try (Response response = client.newCall(new Request.Builder().url(a.uri("/start").toString()).build())
                .execute()) {
            assertThat(response.body().string()).isEqualTo("home");
            assertThat(response.priorResponse()).isNotNull();
            assertThat(response.priorResponse().code()).isEqualTo(302);
            assertThat(response.priorResponse().request().url().port()).isEqualTo(b.port());
            assertThat(response.priorResponse().priorResponse().request().url().port()).isEqualTo(a.port());
        }
        assertThat(a.requests("/start").get(0).header("Cookie")).isEqualTo("sid=SECRET");
        assertThat(b.requests("/elsewhere").get(0).header("Cookie")).as("another origin: same host, other port")
                .isNull();
        assertThat(a.requests("/home").get(0).header("Cookie")).isEqualTo("sid=SECRET");
        assertThat(asked).extracting(HttpUrl::port).containsExactly(a.port(), a.port());
    }

    @Test
    void aStreamedBodyPastTheDeadlineFailsTheReadSayingSo() throws IOException {
        a.on("/drip", Reply.ok("x".repeat(100)).throttleBody(1, Duration.ofMillis(100)));
        OkHttpClient client = installed(new OkHttpClient.Builder(), Sleeper.system());
        Request request = new Request.Builder().url(a.uri("/drip").toString())
                .tag(io.statuspolicy.engine.CallOptions.class,
                        io.statuspolicy.engine.CallOptions.DEFAULT.withDeadline(Duration.ofMillis(400)))
                .build();

        try (Response response = client.newCall(request).execute()) {
            assertThat(response.code()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().bytes())
                    .isInstanceOf(java.io.InterruptedIOException.class)
                    .hasMessageContaining("deadline passed while reading the response body");
        }
    }

    @Test
    void theCallFactoryTakesACallTimeoutAsTheCallsDeadline() throws Exception {
        a.on("/busy", Reply.status(503).header("Retry-After", "5"), Reply.ok("late"));
        OkHttpClient client = installed(new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(2)), Sleeper.system());
        Call.Factory calls = StatusPolicyOkHttp.callFactory(client);

        CompletableFuture<Integer> call = enqueue(calls, new Request.Builder().url(a.uri("/busy").toString()).build());

        assertThatThrownBy(() -> call.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(PolicyException.class)
                .hasMessageContaining("deadline");
        assertThat(a.requests("/busy")).as("the wait would pass the deadline: nothing more is sent").hasSize(1);
    }

    /**
     * OkHttp runs at most 5 calls per host. Ten calls to one host wait out a {@code Retry-After}
     * through the policy's call factory: none holds a dispatcher slot, so another call to the
     * same host, and one to another host, complete at once.
     */
    @Test
    void asyncWaitsHoldNoDispatcherThread() throws Exception {
        a.on("/busy", Reply.status(503).header("Retry-After", "30"));
        a.on("/ok", Reply.ok("a"));
        b.on("/ok", Reply.ok("b"));
        HeldSleeper sleeper = new HeldSleeper();
        OkHttpClient client = installed(new OkHttpClient.Builder(), sleeper, EXACT_NO_HOLDS);
        Call.Factory calls = StatusPolicyOkHttp.callFactory(client);
        assertThat(client.dispatcher().getMaxRequestsPerHost()).isEqualTo(5);

        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(enqueue(calls, new Request.Builder().url(a.uri("/busy").toString()).build()));
        }
        sleeper.awaitWaits(10);
        assertThat(client.dispatcher().runningCallsCount()).as("calls holding a dispatcher thread").isZero();

        assertThat(enqueue(calls, new Request.Builder().url(a.uri("/ok").toString()).build()).get(5, TimeUnit.SECONDS))
                .isEqualTo(200);
        assertThat(enqueue(calls, new Request.Builder().url(b.uri("/ok").toString()).build()).get(5, TimeUnit.SECONDS))
                .isEqualTo(200);

        a.on("/busy", Reply.ok("done"));
        sleeper.releaseAll();
        for (CompletableFuture<Integer> call : waiting) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    /** The same ten waits through the interceptor alone ({@code client.newCall().enqueue()}) hold five slots: the check above can fail. */
    @Test
    void theInterceptorAloneHoldsASlotPerWaitingCall() throws Exception {
        a.on("/busy", Reply.status(503).header("Retry-After", "30"));
        HeldSleeper sleeper = new HeldSleeper();
        OkHttpClient client = installed(new OkHttpClient.Builder(), sleeper, EXACT_NO_HOLDS);

        List<CompletableFuture<Integer>> waiting = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiting.add(enqueue(client, new Request.Builder().url(a.uri("/busy").toString()).build()));
        }
        sleeper.awaitWaits(5);
        assertThat(client.dispatcher().runningCallsCount()).isEqualTo(5);
        assertThat(client.dispatcher().queuedCallsCount()).isEqualTo(5);

        a.on("/busy", Reply.ok("done"));
        sleeper.releaseAll();
        for (CompletableFuture<Integer> call : waiting) {
            assertThat(call.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    private static CompletableFuture<Integer> enqueue(Call.Factory calls, Request request) {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        calls.newCall(request).enqueue(new Callback() {
            @Override
            public void onResponse(Call call, Response response) {
                try (response) {
                    response.body().bytes();
                    status.complete(response.code());
                } catch (IOException e) {
                    status.completeExceptionally(e);
                }
            }

            @Override
            public void onFailure(Call call, IOException e) {
                status.completeExceptionally(e);
            }
        });
        return status;
    }

    /** Waits that last until the test releases them, blocking or not. */
    private static final class HeldSleeper implements Sleeper {
        private final Queue<CompletableFuture<Void>> waits = new ConcurrentLinkedQueue<>();
        private final CountDownLatch released = new CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            started.incrementAndGet();
            released.await();
        }

        @Override
        public CompletableFuture<Void> delay(Duration duration) {
            CompletableFuture<Void> wait = new CompletableFuture<>();
            waits.add(wait);
            started.incrementAndGet();
            if (released.getCount() == 0) {
                wait.complete(null);
            }
            return wait;
        }

        void awaitWaits(int count) throws InterruptedException {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (started.get() < count && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(started.get()).as("calls waiting").isGreaterThanOrEqualTo(count);
        }

        void releaseAll() {
            released.countDown();
            CompletableFuture<Void> wait;
            while ((wait = waits.poll()) != null) {
                wait.complete(null);
            }
        }
    }
}
