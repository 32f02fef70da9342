package io.statuspolicy.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.FailureCategory;
import io.statuspolicy.decision.HostCheck;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.policy.CircuitBreakerSettings;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Host state (issue 11): a {@code Retry-After} on a 503 holds the origin for every call of the
 * client, on a 429 the origin for that principal; a hold longer than a call's time left fails it
 * at once; when a hold ends one probe goes first. Every scenario runs through the synchronous and
 * the asynchronous path, in virtual time except where calls overlap for real.
 */
public abstract class HostScenarios extends FaultScenarios {

    /** One call's 503 + Retry-After: 30 makes the next call to that origin wait, and not a call to another origin. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHoldFromOneCallsRetryAfterDelaysTheOtherCallsToThatOriginOnly(Mode mode) {
        a.on("/down", Reply.status(503).header("Retry-After", "30"));
        a.on("/other", Reply.ok("after the hold"));
        b.on("/elsewhere", Reply.ok("not held"));
        ClientUnderTest client = client();

        Outcome first = client.send(TestRequest.get(a.uri("/down")).deadline(Duration.ofSeconds(10)), mode);
        assertThat(first.category()).as("%s", first).isEqualTo(FailureCategory.EXHAUSTED);

        Outcome elsewhere = client.send(TestRequest.get(b.uri("/elsewhere")), mode);
        assertThat(elsewhere.bodyUtf8()).isEqualTo("not held");
        assertThat(sleeper.sleeps()).as("another origin is not held").isEmpty();

        Outcome held = client.send(TestRequest.get(a.uri("/other")), mode);
        assertThat(held.bodyUtf8()).isEqualTo("after the hold");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(30));
        assertThat(a.requests("/other")).as("nothing was sent while the origin was held").hasSize(1);
        assertThat(listener.events(PolicyEvent.HostChecked.class)).extracting(e -> e.check().explain())
                .contains("503 Service Unavailable: the guideline says retry (shall); the origin is held by an "
                        + "earlier Retry-After: waiting 30 s before this attempt");
    }

    /** A hold longer than the call's time left fails that call at once, with the hold's reason and time. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aHoldLongerThanTheCallsDeadlineFailsItAtOnce(Mode mode) {
        a.on("/down", Reply.status(503).header("Retry-After", "30"));
        a.on("/soon", Reply.ok("must not be sent"));
        ClientUnderTest client = client();
        client.send(TestRequest.get(a.uri("/down")).deadline(Duration.ofSeconds(10)), mode);

        Outcome refused = client.send(TestRequest.get(a.uri("/soon")).deadline(Duration.ofSeconds(20)), mode);

        assertThat(refused.failed()).isTrue();
        assertThat(refused.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(refused.failure().getMessage())
                .contains("an earlier Retry-After holds the origin for longer than the time left")
                .contains("the origin held 30 s more, 20 s left before the deadline");
        assertThat(a.requests("/soon")).isEmpty();
        assertThat(sleeper.sleeps()).isEmpty();
    }

    /** A 429's hold is for that principal: another principal goes on, the same one waits. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void a429HoldsOnlyThatPrincipal(Mode mode) {
        a.on("/limited", Reply.status(429).header("Retry-After", "20"), Reply.ok("bob's"), Reply.ok("alice's"));
        ClientUnderTest client = client();

        Outcome alice = client.send(TestRequest.get(a.uri("/limited")).header("Authorization", "Bearer ALICE")
                .deadline(Duration.ofSeconds(5)), mode);
        assertThat(alice.failed()).isTrue();

        Outcome bob = client.send(TestRequest.get(a.uri("/limited")).header("Authorization", "Bearer BOB"), mode);
        assertThat(bob.bodyUtf8()).isEqualTo("bob's");
        assertThat(sleeper.sleeps()).as("another principal is not held").isEmpty();

        Outcome aliceAgain = client.send(TestRequest.get(a.uri("/limited")).header("Authorization", "Bearer ALICE"),
                mode);
        assertThat(aliceAgain.bodyUtf8()).isEqualTo("alice's");
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(20));
    }

    /**
     * When a hold ends one request goes first, and the others follow when it succeeds: a call that
     * comes while the probe is in flight sends nothing until the probe's answer (real overlap).
     */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void oneProbeGoesFirstWhenAHoldEnds(Mode mode) throws Exception {
        a.on("/p", Reply.status(503).header("Retry-After", "1"), Reply.ok("probe").headersDelay(Duration.ofMillis(700)),
                Reply.ok("follower"));
        ClientUnderTest client = client();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Outcome> prober = CompletableFuture.supplyAsync(
                    () -> client.send(TestRequest.get(a.uri("/p")), mode), pool);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (a.requestCount() < 2 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(a.requestCount()).as("the first call's retry is the probe").isEqualTo(2);

            CompletableFuture<Outcome> follower = CompletableFuture.supplyAsync(
                    () -> client.send(TestRequest.get(a.uri("/p")), mode), pool);
            Thread.sleep(300);
            assertThat(a.requestCount()).as("nothing else is sent while the probe is in flight").isEqualTo(2);

            assertThat(prober.get(5, TimeUnit.SECONDS).bodyUtf8()).isEqualTo("probe");
            assertThat(follower.get(5, TimeUnit.SECONDS).bodyUtf8()).isEqualTo("follower");
            assertThat(a.requestCount()).isEqualTo(3);
            assertThat(listener.events(PolicyEvent.HostChecked.class)).extracting(PolicyEvent.HostChecked::check)
                    .hasAtLeastOneElementOfType(HostCheck.Probe.class)
                    .hasAtLeastOneElementOfType(HostCheck.AwaitProbe.class);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The circuit breaker, when the policy turns it on: opens on sustained failure, fails fast, probes once, closes. */
    @ParameterizedTest
    @EnumSource(Mode.class)
    void aCircuitBreakerOpensFailsFastProbesAndCloses(Mode mode) {
        a.on("/flaky", Reply.status(500), Reply.status(500), Reply.ok("probe"), Reply.ok("closed again"));
        b.on("/fine", Reply.ok("other origin"));
        Policy breaker = EXACT_POLICY.withLimits(l -> l.withMaxAttempts(1)
                .withCircuitBreaker(new CircuitBreakerSettings(true, 2, Duration.ofSeconds(5))));
        ClientUnderTest client = open(settings().withPolicy(breaker));

        assertThat(client.send(TestRequest.get(a.uri("/flaky")), mode).category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(client.send(TestRequest.get(a.uri("/flaky")), mode).category()).isEqualTo(FailureCategory.EXHAUSTED);

        Outcome fast = client.send(TestRequest.get(a.uri("/flaky")), mode);
        assertThat(fast.failed()).isTrue();
        assertThat(fast.failure().getMessage()).contains("the circuit breaker for this origin is open")
                .contains("open 5 s more, after 2 failed calls in a row");
        assertThat(a.requestCount()).as("an open circuit sends nothing").isEqualTo(2);
        assertThat(client.send(TestRequest.get(b.uri("/fine")), mode).bodyUtf8()).isEqualTo("other origin");

        clock.advance(Duration.ofSeconds(5));
        assertThat(client.send(TestRequest.get(a.uri("/flaky")), mode).bodyUtf8()).isEqualTo("probe");
        // The probe's success closes the circuit when the engine ends the call, which on a client
        // whose future completes at the body's end (HttpClient 5 async) can be just after the
        // caller has the response: wait for the transition (real time, bounded) before the next call.
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (listener.events(PolicyEvent.CircuitChanged.class).size() < 3 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(client.send(TestRequest.get(a.uri("/flaky")), mode).bodyUtf8()).isEqualTo("closed again");
        assertThat(listener.events(PolicyEvent.CircuitChanged.class))
                .extracting(e -> e.from() + "->" + e.to())
                .containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        assertThat(listener.events(PolicyEvent.CircuitChanged.class).get(0).explanation())
                .isEqualTo("500 Internal Server Error: the guideline says retry (shall); circuit opened for 5 s "
                        + "after 2 failed calls in a row");
        assertThat(sleeper.sleeps()).isEmpty();
    }
}
