package io.statuspolicy.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.RecordedExchange;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenarios for the engine under faults: hostile or broken servers, bodies that drip or break,
 * redirect memory meeting other methods and principals, credential sources that rotate, stall
 * or fail, and cancellation. Each one failed on the executor before the engine (review of
 * 2026-12-01, findings 1 to 15 and the chaos findings); the finding is named on each.
 * Every scenario runs through the synchronous and the asynchronous path.
 */
public abstract class FaultScenarios extends ConformanceFixture {
    /** Retries without backoff, so real-time scenarios are about bodies, not waits. */
    private static final Policy NO_BACKOFF = EXACT_POLICY.withLimits(l -> l.withBackoff(Backoff.none()));

    static Stream<Arguments> discardedStatuses() {
        return Stream.of(503, 302, 401).flatMap(status -> Arrays.stream(Mode.values())
                .map(mode -> Arguments.of(status, mode)));
    }

    /** Finding 1: a discarded body is never drained without bound, and never past the deadline. */
    @ParameterizedTest
    @MethodSource("discardedStatuses")
    void aDrippingDiscardedBodyDoesNotHoldTheCall(int status, Mode mode) {
        Reply dripping = Reply.status(status).body(new byte[40 * 1024]).throttleBody(4096, Duration.ofMillis(500));
        if (status == 302) {
            dripping = dripping.header("Location", "/done");
            a.on("/done", Reply.ok("fine"));
        }
        a.on("/drip", dripping, Reply.ok("fine"));
        ClientSettings settings = settings().withRealTime().withPolicy(NO_BACKOFF);
        if (status == 401) {
            settings = settings.withCredentials(TestCredentials.bearerTokens());
        }

        Outcome outcome = open(settings).send(TestRequest.get(a.uri("/drip")).deadline(Duration.ofSeconds(2)), mode);

        assertThat(outcome.failed()).as("%s", outcome).isFalse();
        assertThat(outcome.bodyUtf8()).isEqualTo("fine");
        assertThat(a.requestCount()).isEqualTo(2);
    }

    /** Finding 2: a remembered 301 is decided like a live one; a PUT never follows a GET's 301 to another origin. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRememberedRedirectIsDecidedLikeALiveOne(Mode mode) {
        a.on("/old", Reply.redirect(301, b.uri("/new").toString()), Reply.redirect(301, b.uri("/new").toString()));
        b.on("/new", Reply.ok("moved here"), Reply.ok("must not be reached by the PUT"));
        ClientUnderTest client = client();

        Outcome learned = client.send(TestRequest.get(a.uri("/old")), mode);
        Outcome put = client.send(TestRequest.of("PUT", a.uri("/old"), "{\"secret\":1}".getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "application/json"), mode);

        assertThat(learned.bodyUtf8()).isEqualTo("moved here");
        assertThat(put.status()).as("the PUT's own 301 to another origin is refused and returned").isEqualTo(301);
        assertThat(a.requests("/old")).extracting(RecordedExchange::method).containsExactly("GET", "PUT");
        assertThat(b.requests("/new")).extracting(RecordedExchange::method).containsExactly("GET");
    }

    /** Finding 3: one principal's remembered redirect is never replayed for another. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aRedirectRememberedForOnePrincipalIsNotUsedForAnother(Mode mode) {
        a.on("/me", Reply.redirect(301, "/users/alice"), Reply.redirect(301, "/users/bob"));
        a.on("/users/alice", Reply.ok("alice's profile"), Reply.ok("alice's profile"));
        a.on("/users/bob", Reply.ok("bob's profile"));
        ClientUnderTest client = client();

        Outcome alice = client.send(TestRequest.get(a.uri("/me")).header("Authorization", "Bearer ALICE"), mode);
        Outcome bob = client.send(TestRequest.get(a.uri("/me")).header("Authorization", "Bearer BOB"), mode);
        Outcome aliceAgain = client.send(TestRequest.get(a.uri("/me")).header("Authorization", "Bearer ALICE"), mode);

        assertThat(alice.bodyUtf8()).isEqualTo("alice's profile");
        assertThat(bob.bodyUtf8()).isEqualTo("bob's profile");
        assertThat(aliceAgain.bodyUtf8()).isEqualTo("alice's profile");
        assertThat(a.requests("/me")).as("Alice's redirect is remembered for Alice only").hasSize(2);
        assertThat(a.requests("/users/bob").get(0).header("Authorization")).isEqualTo("Bearer BOB");
    }

    /** Finding 3: a permanent redirect marked no-store is not remembered at all. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aNoStoreRedirectIsNotRemembered(Mode mode) {
        a.on("/old", Reply.redirect(301, "/new").header("Cache-Control", "no-store"),
                Reply.redirect(301, "/new").header("Cache-Control", "no-store"));
        a.on("/new", Reply.ok("one"), Reply.ok("two"));
        ClientUnderTest client = client();

        client.send(TestRequest.get(a.uri("/old")), mode);
        Outcome second = client.send(TestRequest.get(a.uri("/old")), mode);

        assertThat(second.bodyUtf8()).isEqualTo("two");
        assertThat(a.requests("/old")).hasSize(2);
    }

    /** Finding 6: the credential source's own rotation is followed; a renewed value is not pinned. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void theCredentialSourcesRotationIsFollowed(Mode mode) {
        a.on("/r", Reply.status(401).header("WWW-Authenticate", "Bearer"), Reply.ok("first"), Reply.ok("second"));
        TestCredentials tokens = TestCredentials.bearerTokens();
        ClientUnderTest client = open(settings().withCredentials(tokens));

        client.send(TestRequest.get(a.uri("/r")), mode);
        tokens.rotate("Bearer T9");
        Outcome second = client.send(TestRequest.get(a.uri("/r")), mode);

        assertThat(second.bodyUtf8()).isEqualTo("second");
        assertThat(a.requests("/r")).extracting(e -> e.header("Authorization"))
                .containsExactly("Bearer T1", "Bearer T2", "Bearer T9");
    }

    /** Finding 7: a credential refresh is bounded by the call's deadline. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aSlowCredentialRefreshStopsAtTheDeadline(Mode mode) {
        a.on("/r", Reply.status(401).header("WWW-Authenticate", "Bearer"), Reply.ok("too late"));
        TestCredentials tokens = TestCredentials.bearerTokens().slowRefresh(6000);
        ClientUnderTest client = open(settings().withRealTime().withCredentials(tokens));

        long start = System.nanoTime();
        Outcome outcome = client.send(TestRequest.get(a.uri("/r")).deadline(Duration.ofMillis(500)), mode);
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMillis).as("the call ends at its deadline, not when the refresh does").isLessThan(4000);
        assertThat(outcome.failed()).as("%s", outcome).isTrue();
        assertThat(outcome.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(((PolicyException) outcome.failure()).decision().reason()).isEqualTo(FailureReason.DEADLINE_EXCEEDED);
        assertThat(a.requests("/r")).as("nothing is sent after the deadline").hasSize(1);
    }

    /** Finding 11: a call that fails before its first attempt still ends with exactly one callFinished. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aFailingCredentialSourceEndsTheCallWithOneCallFinished(Mode mode) {
        a.on("/r", Reply.ok("never"));
        ClientUnderTest client = open(settings().withCredentials(TestCredentials.bearerTokens().failCurrent()));

        Outcome outcome = client.send(TestRequest.get(a.uri("/r")), mode);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.failure()).hasMessageContaining("unreachable");
        assertThat(listener.events(PolicyEvent.CallFinished.class)).hasSize(1);
        assertThat(a.requestCount()).isZero();
    }

    /** Finding 9: retries exhausted keep a bounded, already-read body and hold no connection. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void exhaustedRetriesKeepABoundedBodyAndNoConnection(Mode mode) {
        byte[] big = new byte[200 * 1024];
        Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < 4; i++) {
            a.on("/down", Reply.status(503).body(big));
        }

        Outcome outcome = client().send(TestRequest.get(a.uri("/down")), mode);

        assertThat(outcome.category()).isEqualTo(FailureCategory.EXHAUSTED);
        PolicyException.LastResponse last = ((PolicyException) outcome.failure()).response().orElseThrow();
        assertThat(last.status()).isEqualTo(503);
        assertThat(last.body().length).isEqualTo(PolicyException.KEPT_BODY_LIMIT);
        assertThat(last.truncated()).isTrue();
        // and the fixture checks that no body is still being written to the client
    }

    /** The chaos finding: a buffered body cut off before the caller saw it is a failed attempt, retried for a GET. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aBufferedBodyCutOffIsRetriedForAGet(Mode mode) {
        a.on("/cut", Reply.ok("y".repeat(4096)).fault(Fault.DISCONNECT_DURING_BODY), Reply.ok("whole"));

        Outcome outcome = client().send(TestRequest.get(a.uri("/cut")), mode);

        assertThat(outcome.failed()).as("%s", outcome).isFalse();
        assertThat(outcome.bodyUtf8()).isEqualTo("whole");
        assertThat(a.requests("/cut")).hasSize(2);
    }

    /** The chaos finding: a POST without a key whose body broke is not repeated, and fails with a decision. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aPostWhoseResponseBodyBrokeIsNotRepeatedAndFailsWithADecision(Mode mode) {
        a.on("/orders", Reply.ok("z".repeat(4096)).fault(Fault.DISCONNECT_DURING_BODY), Reply.ok("again"));

        Outcome outcome = client().send(TestRequest.of("POST", a.uri("/orders"), "{}".getBytes(StandardCharsets.UTF_8)),
                mode);

        assertThat(outcome.failed()).isTrue();
        assertThat(outcome.failure()).isInstanceOf(PolicyException.class);
        assertThat(outcome.category()).isEqualTo(FailureCategory.TRANSPORT);
        assertThat(a.requests("/orders")).hasSize(1);
    }

    static Stream<Arguments> framingLies() {
        List<Reply> lies = List.of(
                Reply.ok("hello").header("Content-Length", "5, 7"),
                Reply.ok("hello").header("Content-Length", "5").header("Content-Length", "7"),
                Reply.ok("hello").chunked().header("Content-Length", "3"));
        return lies.stream().flatMap(lie -> Arrays.stream(Mode.values()).map(mode -> Arguments.of(lie, mode)));
    }

    /** RFC 9112 §6: a response whose framing lies is a failed attempt (retried for a GET), never a success. */
    @ParameterizedTest
    @MethodSource("framingLies")
    void aResponseWhoseFramingLiesIsAFailedAttempt(Reply lie, Mode mode) {
        a.on("/lie", lie, Reply.ok("honest"));

        Outcome outcome = client().send(TestRequest.get(a.uri("/lie")), mode);

        assertThat(outcome.bodyUtf8()).as("%s", outcome).isEqualTo("honest");
        assertThat(a.requests("/lie")).hasSize(2);
    }

    /** A Location sent as raw UTF-8 bytes is followed to the URI the server meant. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aLocationInRawUtf8IsFollowedAsTheServerMeantIt(Mode mode) {
        a.on("/go", Reply.redirect(302, "/caf\u00e9"));
        a.on("/caf%C3%A9", Reply.ok("coffee"));

        Outcome outcome = client().send(TestRequest.get(a.uri("/go")), mode);

        assertThat(outcome.bodyUtf8()).as("%s; server saw %s", outcome, a.requests()).isEqualTo("coffee");
    }

    /** The chaos finding: a cancel while the head is in flight stops the exchange and frees its connection. */
    @org.junit.jupiter.api.Test
    void aCancelWhileTheResponseIsInFlightClosesTheExchange() throws Exception {
        a.on("/long", Reply.ok("d".repeat(256 * 1024)).headersDelay(Duration.ofMillis(200))
                .throttleBody(1024, Duration.ofMillis(50)));
        ClientUnderTest client = open(settings().withRealTime());

        CompletableFuture<Outcome> call = client.sendAsync(TestRequest.get(a.uri("/long")));
        a.takeRequest(Duration.ofSeconds(5));
        call.cancel(true);

        assertThat(call).isCancelled();
        assertThat(a.awaitNoBodyInProgress(ScriptedServer.cancelledConnectionGrace())).as("the server is still writing the body").isTrue();
    }

    static Stream<Arguments> statusesOutsideTheRegistry() {
        return Stream.of(600, 799, 999).flatMap(status -> Arrays.stream(Mode.values())
                .map(mode -> Arguments.of(status, mode)));
    }

    /** A status outside 100-599 is acted on as its explanation says: not retried, returned as it came. */
    @ParameterizedTest
    @MethodSource("statusesOutsideTheRegistry")
    void aStatusOutsideTheRegistryIsActedOnAsExplained(int status, Mode mode) {
        a.on("/odd", Reply.status(status).body("odd"), Reply.ok("never"));

        Outcome outcome = client().send(TestRequest.get(a.uri("/odd")), mode);

        assertThat(a.requests("/odd")).as("not retried").hasSize(1);
        assertThat(listener.explanations()).hasSize(1);
        assertThat(listener.explanations().get(0)).contains("not a valid HTTP status").doesNotContain("retry (");
        if (outcome.failed()) {
            assertThat(outcome.failure()).isInstanceOf(PolicyException.class);
        } else {
            assertThat(outcome.status()).isEqualTo(status);
        }
    }

    /**
     * The chaos finding: calls cancelled at once, while the client is still inside its own send,
     * stop their exchanges; none goes on receiving a body on an open connection.
     */
    @org.junit.jupiter.api.Test
    void callsCancelledAtOnceLeaveNoExchangeRunning() throws Exception {
        for (int i = 0; i < 20; i++) {
            a.on("/slow", Reply.ok("s".repeat(64 * 1024)).headersDelay(Duration.ofMillis(300))
                    .throttleBody(1024, Duration.ofMillis(100)));
        }
        ClientUnderTest client = open(settings().withRealTime());
        List<CompletableFuture<Outcome>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CompletableFuture<Outcome> call = client.sendAsync(TestRequest.get(a.uri("/slow")));
            call.cancel(true);
            calls.add(call);
        }
        Thread.sleep(600); // past the headers' delay: an exchange still running would be receiving now

        assertThat(calls).allMatch(CompletableFuture::isCancelled);
        assertThat(a.awaitNoBodyInProgress(ScriptedServer.cancelledConnectionGrace()))
                .as("%d bodies still being written to cancelled calls", a.bodiesInProgress()).isTrue();
    }
}
