package io.statuspolicy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.DeadlinePassed;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** What the WebClient filter does that the conformance suite cannot see, through a real WebClient on Reactor Netty. */
class WebClientAdapterTest {
    private static final Policy NO_JITTER = Policy.guideline().withLimits(l -> l.withBackoff(l.backoff().withJitter(0)));

    private final ScriptedServer server = ScriptedServer.start();
    /** Reactor Netty's own pool metrics: connections checked out of the pool, per remote address. */
    private final List<reactor.netty.resources.ConnectionPoolMetrics> metrics = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConnectionProvider pool = ConnectionProvider.builder("adapter-test").maxConnections(10)
            .metrics(true, () -> (name, id, address, poolMetrics) -> metrics.add(poolMetrics)).build();

    @AfterEach
    void stop() {
        pool.disposeLater().block(Duration.ofSeconds(5));
        server.close();
    }

    private WebClient client(StatusPolicySpring policy) {
        return policy.installFilter(WebClient.builder()
                .baseUrl("http://127.0.0.1:" + server.port())
                .clientConnector(StatusPolicySpring.connector(HttpClient.create(pool)))).build();
    }

    private WebClient client() {
        return client(StatusPolicySpring.with(PolicyEngine.builder().policy(NO_JITTER).build()));
    }

    /** The pool's connections that are checked out (acquired and not yet released), once they settle. */
    private int acquiredAfterSettling() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        int acquired;
        do {
            acquired = metrics.stream().mapToInt(reactor.netty.resources.ConnectionPoolMetrics::acquiredSize).sum();
            if (acquired == 0) {
                return 0;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < until);
        return acquired;
    }

    @Test
    void cancellingDuringAWaitSendsNothingMoreAndHoldsNoConnection() throws Exception {
        server.on("/wait", Reply.status(503).header("Retry-After", "2"), Reply.ok("too late"));
        Disposable call = client().get().uri("/wait").retrieve().bodyToMono(String.class).subscribe();
        server.takeRequest(Duration.ofSeconds(5));
        Thread.sleep(200); // the policy is now waiting out the Retry-After
        call.dispose();

        Thread.sleep(2500); // past the wait: a wait that was not cancelled would send now
        assertThat(server.requestCount()).as("no request after the cancel").isEqualTo(1);
        assertThat(acquiredAfterSettling()).as("the 503's connection went back").isZero();
    }

    @Test
    void cancellingMidExchangeAbortsItAndSendsNoRetry() throws Exception {
        server.on("/slow", Reply.ok("late").headersDelay(Duration.ofSeconds(3)), Reply.ok("never"));
        Disposable call = client().get().uri("/slow").retrieve().bodyToMono(String.class).subscribe();
        server.takeRequest(Duration.ofSeconds(5));
        call.dispose();

        assertThat(acquiredAfterSettling()).as("the exchange's connection was released").isZero();
        Thread.sleep(500);
        assertThat(server.requestCount()).isEqualTo(1);
        assertThat(server.awaitNoBodyInProgress(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void everyDiscardedBodyIsReleasedAndItsConnectionReused() throws Exception {
        server.on("/r", Reply.status(503).header("Retry-After", "0").body("first refusal"),
                Reply.status(502).body("x".repeat(2000)), Reply.ok("fine"));

        String body = client().get().uri("/r").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));

        assertThat(body).isEqualTo("fine");
        assertThat(server.requestCount()).isEqualTo(3);
        assertThat(acquiredAfterSettling()).as("no connection left checked out").isZero();
        int allocated = metrics.stream().mapToInt(reactor.netty.resources.ConnectionPoolMetrics::allocatedSize).sum();
        assertThat(allocated).as("short discarded bodies were read, so one connection served all three").isEqualTo(1);
    }

    @Test
    void a411IsResentOnceWithAContentLength() {
        server.on("/length", Reply.status(411), Reply.status(201).body("created"));
        byte[] part = "a body of unknown length".getBytes(StandardCharsets.UTF_8);

        String body = client().post().uri("/length").body(Flux.just(part, part), byte[].class)
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));

        assertThat(body).isEqualTo("created");
        List<RecordedExchange> sent = server.requests("/length");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).header("Content-Length")).as("the caller's Flux went out chunked").isNull();
        assertThat(sent.get(1).header("Content-Length")).isEqualTo(Integer.toString(2 * part.length));
        assertThat(sent.get(1).bodyUtf8()).isEqualTo("a body of unknown length".repeat(2));
    }

    @Test
    void aBodyTooLargeToCaptureIsSentOnceAndNeverAgain() {
        server.on("/upload", Reply.status(503).header("Retry-After", "0"), Reply.status(204));
        AtomicInteger subscriptions = new AtomicInteger();
        Flux<DataBuffer> oneShot = Flux.range(0, 8)
                .map(i -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024]))
                .doOnSubscribe(s -> subscriptions.incrementAndGet());
        StatusPolicySpring policy = StatusPolicySpring.with(PolicyEngine.builder().policy(NO_JITTER).build())
                .bufferRequestBodies(4096);

        assertThatThrownBy(() -> client(policy).put().uri("/upload")
                .header("Idempotency-Key", "\"k\"") // retry-safe: only the body stops a resend
                .body(oneShot, DataBuffer.class).retrieve().toBodilessEntity().block(Duration.ofSeconds(10)))
                .hasMessageContaining("503");

        assertThat(server.requests("/upload")).as("a body that cannot be resent is sent once").hasSize(1);
        assertThat(server.requests("/upload").get(0).body()).hasSize(8 * 1024);
        assertThat(subscriptions).as("the caller's publisher is subscribed to once").hasValue(1);

        // Within the limit, the same body is captured, and resent byte for byte.
        server.on("/small", Reply.status(503).header("Retry-After", "0"), Reply.status(204));
        client(policy).put().uri("/small").body(Flux.range(0, 2)
                .map(i -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024])), DataBuffer.class)
                .retrieve().toBodilessEntity().block(Duration.ofSeconds(10));
        assertThat(server.requests("/small")).hasSize(2).allSatisfy(r -> assertThat(r.body()).hasSize(2048));
    }

    @Test
    void theDeadlineCoversAStreamingBody() throws Exception {
        byte[] big = new byte[64 * 1024];
        server.on("/drip", Reply.ok(new String(big, StandardCharsets.ISO_8859_1)).throttleBody(4096, Duration.ofMillis(100)));
        StatusPolicySpring policy = StatusPolicySpring.with(PolicyEngine.builder().policy(NO_JITTER).build())
                .bufferResponseBodies(0); // streamed: the caller reads it piece by piece
        List<Integer> pieces = new ArrayList<>();
        long start = System.nanoTime();

        assertThatThrownBy(() -> client(policy).get().uri("/drip")
                .attribute(StatusPolicySpring.CALL_OPTIONS, CallOptions.DEFAULT.withDeadline(Duration.ofMillis(600)))
                .retrieve().bodyToFlux(DataBuffer.class)
                .doOnNext(piece -> {
                    pieces.add(piece.readableByteCount());
                    DataBufferUtils.release(piece);
                })
                .blockLast(Duration.ofSeconds(10)))
                .hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class)
                .satisfies(e -> assertThat(RestClientUnderTest.find(e, DeadlinePassed.class)).isNotNull());
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(pieces).as("the body streamed to the caller before the deadline").isNotEmpty();
        assertThat(tookMillis).isBetween(500L, 3000L);
        assertThat(acquiredAfterSettling()).isZero();
        assertThat(server.awaitNoBodyInProgress(Duration.ofSeconds(3))).as("the connection was closed").isTrue();
    }

    @Test
    void aRefusedConnectionIsTriedFourTimesAndKeepsTheEarlierFailures() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        io.statuspolicy.testing.FakeClock clock = new io.statuspolicy.testing.FakeClock();
        PolicyEngine engine = PolicyEngine.builder().policy(NO_JITTER).clock(clock)
                .sleeper(new io.statuspolicy.testing.FakeSleeper(clock)).build();
        WebClient web = StatusPolicySpring.with(engine).installFilter(WebClient.builder()
                .clientConnector(StatusPolicySpring.connector(HttpClient.create(pool)))).build();

        assertThatThrownBy(() -> web.get().uri("http://127.0.0.1:" + closedPort + "/x")
                .attribute(StatusPolicySpring.CALL_OPTIONS, CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20)))
                .retrieve().toBodilessEntity().onErrorMap(e -> new IllegalStateException(e))
                .block(Duration.ofSeconds(20)))
                .extracting(Throwable::getCause)
                .isInstanceOf(PolicyException.class)
                .satisfies(e -> assertThat(java.util.Arrays.stream(e.getSuppressed())
                        .filter(WebClientRequestException.class::isInstance)).hasSize(3))
                .satisfies(e -> assertThat(e.getMessage()).contains("4 of 4 attempts"));
    }

    @Test
    void reactorNettysOwnRetryAndRedirectsAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> StatusPolicySpring.checked(
                new org.springframework.http.client.reactive.ReactorClientHttpConnector(HttpClient.create(pool))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("disableRetry(true)");
        assertThatThrownBy(() -> StatusPolicySpring.checked(new org.springframework.http.client.reactive
                .ReactorClientHttpConnector(HttpClient.create(pool).disableRetry(true).followRedirect(true))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("followRedirect(false)");
        assertThat(StatusPolicySpring.checked(StatusPolicySpring.connector(HttpClient.create(pool).followRedirect(true))))
                .isNotNull();
    }

    @Test
    void callOptionsOfTheWrongTypeAreRefusedNamingTheAttribute() {
        server.on("/r", Reply.ok("fine"));
        assertThatThrownBy(() -> client().get().uri("/r").attribute(StatusPolicySpring.CALL_OPTIONS, "fast")
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(5)))
                .hasMessageContaining(StatusPolicySpring.CALL_OPTIONS).hasMessageContaining("java.lang.String");
        assertThat(server.requestCount()).isZero();
    }

    @Test
    void theRetryPredicateKnowsAStatusFromACallThePolicyDecided() {
        server.on("/missing", Reply.status(404), Reply.status(404));
        Throwable decided = org.assertj.core.api.Assertions.catchThrowable(() -> client().get().uri("/missing")
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(5)));
        WebClient plain = WebClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                .clientConnector(StatusPolicySpring.connector(HttpClient.create(pool))).build();
        Throwable undecided = org.assertj.core.api.Assertions.catchThrowable(() -> plain.get().uri("/missing")
                .retrieve().bodyToMono(String.class).block(Duration.ofSeconds(5)));

        assertThat(decided).isInstanceOf(org.springframework.web.reactive.function.client.WebClientResponseException.NotFound.class);
        assertThat(new StatusPolicyRetryPredicate().shouldRetry(null, decided)).isFalse();
        assertThat(undecided).isInstanceOf(org.springframework.web.reactive.function.client.WebClientResponseException.NotFound.class);
        assertThat(new StatusPolicyRetryPredicate().shouldRetry(null, undecided)).isTrue();
    }
}
