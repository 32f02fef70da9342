package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.http.HttpDate;
import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.RetryBudgetSettings;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries: Retry-After, backoff, limits, the deadline, idempotency, transport failures and the budget. */
class RetryDecisionTest {
    /** Backoff without jitter, so delays are exact: 500 ms, 1 s, 2 s, ... */
    private static final Policy EXACT = Policy.guideline()
            .withLimits(l -> l.withBackoff(Backoff.DEFAULT.withJitter(0)));

    private final Fixture fixture = new Fixture(EXACT);

    @Test
    void retryAfterSecondsIsHonouredWhenLongerThanTheBackoff() {
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "3")));
        assertThat(retry.delayMillis()).isEqualTo(3000);
        assertThat(retry.basis()).isEqualTo(DelayBasis.RETRY_AFTER);
        assertThat(retry.explain()).isEqualTo(
                "503 Service Unavailable: the guideline says retry (shall); attempt 2 of 4; waiting 3 s as Retry-After asks");
    }

    @Test
    void theBackoffWinsWhenItIsLongerThanRetryAfter() {
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "0")));
        assertThat(retry.delayMillis()).isEqualTo(500);
        assertThat(retry.basis()).isEqualTo(DelayBasis.BACKOFF);
    }

    @Test
    void anHttpDateIsMeasuredAgainstTheResponsesDate() {
        // The server's clock is an hour behind ours: the wait is Retry-After minus Date, 5 s.
        long serverNow = Fixture.NOW / 1000 - 3600;
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(503)
                .header("Date", HttpDate.format(serverNow))
                .header("Retry-After", HttpDate.format(serverNow + 5))));
        assertThat(retry.delayMillis()).isEqualTo(5000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+5", "1.5", "0x10", "abc", "", "5 seconds", "120, 60",
            "fri, 31 dec 2099 23:59:59 gmt", "2099-12-31T23:59:59Z"})
    void anInvalidRetryAfterFallsBackToTheBackoffAndSaysSo(String value) {
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", value)));
        assertThat(retry.delayMillis()).isEqualTo(500);
        assertThat(retry.basis()).isEqualTo(DelayBasis.BACKOFF);
        assertThat(retry.explain()).contains("; ignored ");
    }

    @Test
    void conflictingRetryAfterLinesAreIgnored() {
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "1").header("Retry-After", "30")));
        assertThat(retry.basis()).isEqualTo(DelayBasis.BACKOFF);
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999999", "9223372037", "99999999999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT"})
    void aHugeRetryAfterFailsAtOnceInsteadOfSleeping(String value) {
        Decision decision = fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", value));
        assertThat(reason(decision)).isEqualTo(FailureReason.RETRY_AFTER_BEYOND_CAP);
        assertThat(((Decision.Fail) decision).category()).isEqualTo(FailureCategory.EXHAUSTED);
    }

    @Test
    void explanationsNameTheClassOnlyWhereTheGuidelineHasNoRowAndReadLongWaitsInHours() {
        assertThat(fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(200)).explain())
                .isEqualTo("200 OK: the guideline says return the response");
        assertThat(fixture.decide(Fixture.get("https://a.test/r"), TestResponse.status(418)).explain())
                .startsWith("418 (Unused) (no row of its own, handled as 4xx): RFC 9110 §15 says fail");
        assertThat(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "86400")).explain())
                .endsWith("(24 h asked, cap 1 min)");
    }

    @Test
    void aRetryAfterLongerThanTheTimeLeftFailsAtOnce() {
        Fixture shortDeadline = new Fixture(EXACT.withLimits(l -> l.withDeadline(Duration.ofSeconds(5))));
        Decision decision = shortDeadline.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "10"));
        assertThat(reason(decision)).isEqualTo(FailureReason.RETRY_AFTER_BEYOND_DEADLINE);
        assertThat(decision.explain()).contains("10 s asked, 5 s left before the deadline");
    }

    @Test
    void aBackoffThatWouldCrossTheDeadlineFailsInsteadOfWaiting() {
        Fixture tight = new Fixture(EXACT.withLimits(l -> l.withDeadline(Duration.ofMillis(400))));
        assertThat(reason(tight.decide(Fixture.get("https://a.test/r"), TestResponse.status(503))))
                .isEqualTo(FailureReason.DEADLINE_EXCEEDED);
    }

    @Test
    void aPastDateMeansNoExtraWait() {
        Decision.Retry retry = retry(fixture.decide(Fixture.get("https://a.test/r"),
                TestResponse.status(503).header("Retry-After", "Fri, 31 Dec 1999 23:59:59 GMT")));
        assertThat(retry.delayMillis()).isEqualTo(500);
    }

    @Test
    void attemptsAreCountedAndTheLastOneGivesUp() {
        RequestFacts request = Fixture.get("https://a.test/r");
        AttemptState state = fixture.decider.start(request);
        long[] expectedDelays = {500, 1000, 2000};
        for (int i = 0; i < 3; i++) {
            Decision.Retry retry = retry(fixture.decider.decide(request, TestResponse.status(500), state));
            assertThat(retry.attempt()).isEqualTo(i + 2);
            assertThat(retry.delayMillis()).isEqualTo(expectedDelays[i]);
            state = state.after(retry);
        }
        Decision last = fixture.decider.decide(request, TestResponse.status(500), state);
        assertThat(reason(last)).isEqualTo(FailureReason.ATTEMPTS_EXHAUSTED);
        assertThat(last.explain()).isEqualTo("500 Internal Server Error: the guideline says retry (shall); "
                + "gave up: every attempt used (4 of 4 attempts)");
    }

    @Test
    void aRuleWithItsOwnRetryLimitStopsThere() {
        RequestFacts request = Fixture.get("https://a.test/r");
        AttemptState state = fixture.decider.start(request);
        Decision first = fixture.decider.decide(request, TestResponse.status(425), state);
        assertThat(first).isInstanceOf(Decision.Retry.class);
        Decision second = fixture.decider.decide(request, TestResponse.status(425), state.after(first));
        assertThat(reason(second)).isEqualTo(FailureReason.RULE_RETRIES_EXHAUSTED);
    }

    @Test
    void postIsRetriedOnlyWithAReason() {
        RequestFacts post = Fixture.post("https://a.test/orders");
        assertThat(reason(fixture.decide(post, TestResponse.status(503)))).isEqualTo(FailureReason.NOT_IDEMPOTENT);
        assertThat(fixture.decide(post.withIdempotencyKey(true), TestResponse.status(503)))
                .isInstanceOf(Decision.Retry.class);
        assertThat(fixture.decide(post.withRetrySafe(true), TestResponse.status(502)))
                .isInstanceOf(Decision.Retry.class);
        for (int notActedOn : new int[] {408, 429}) {
            assertThat(fixture.decide(post, TestResponse.status(notActedOn))).as("%d", notActedOn)
                    .isInstanceOf(Decision.Retry.class);
        }
        assertThat(fixture.decide(RequestFacts.of("PATCH", URI.create("https://a.test/o")), TestResponse.status(500)))
                .isInstanceOf(Decision.Fail.class);
        for (String idempotent : new String[] {"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"}) {
            assertThat(fixture.decide(RequestFacts.of(idempotent, URI.create("https://a.test/o")),
                    TestResponse.status(500))).as(idempotent).isInstanceOf(Decision.Retry.class);
        }
    }

    @Test
    void aBodyThatCannotBeReplayedIsNotRetried() {
        RequestFacts streamed = RequestFacts.of("PUT", URI.create("https://a.test/u")).withBody(false, false);
        assertThat(reason(fixture.decide(streamed, TestResponse.status(503))))
                .isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
    }

    @ParameterizedTest(name = "{0} with a one-shot {1} body: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            CONNECT_FAILED     | PUT   | retry
            CONNECT_TIMEOUT    | PUT   | retry
            CONNECT_FAILED     | POST  | retry
            CONNECT_TIMEOUT    | PATCH | retry
            CONNECTION_LOST    | PUT   | BODY_NOT_REPLAYABLE
            RESPONSE_TIMEOUT   | PUT   | BODY_NOT_REPLAYABLE
            MALFORMED_RESPONSE | PUT   | BODY_NOT_REPLAYABLE
            OTHER              | PUT   | BODY_NOT_REPLAYABLE
            CONNECTION_LOST    | POST  | TRANSPORT_NOT_REPEATABLE
            TLS                | PUT   | TRANSPORT_NOT_RETRIED
            CANCELLED          | PUT   | TRANSPORT_NOT_RETRIED
            """)
    void aOneShotBodyIsSentAgainOnlyAfterAFailureThatProvesNothingWasSent(TransportFailure.Kind kind,
            String method, String expected) {
        // Review finding 22: a connect failure never read the body, so it is still whole.
        RequestFacts oneShot = RequestFacts.of(method, URI.create("https://a.test/u")).withBody(false, false);
        Decision decision = fixture.decider.decide(oneShot, new TransportFailure(kind, "x"),
                fixture.decider.start(oneShot));
        if (expected.equals("retry")) {
            assertThat(retry(decision).failure().kind()).isEqualTo(kind);
        } else {
            assertThat(reason(decision)).isEqualTo(FailureReason.valueOf(expected));
        }
    }

    @Test
    void aOneShotBodyRetriedAfterConnectFailuresIsNotRetriedOnceItCanHaveBeenSent() {
        RequestFacts oneShot = RequestFacts.of("PUT", URI.create("https://a.test/u")).withBody(false, false);
        TransportFailure refused = new TransportFailure(TransportFailure.Kind.CONNECT_FAILED, "Connection refused");
        AttemptState state = fixture.decider.start(oneShot);
        state = state.after(retry(fixture.decider.decide(oneShot, refused, state)));
        state = state.after(retry(fixture.decider.decide(oneShot,
                new TransportFailure(TransportFailure.Kind.CONNECT_TIMEOUT, null), state)));

        assertThat(reason(fixture.decider.decide(oneShot,
                new TransportFailure(TransportFailure.Kind.CONNECTION_LOST, "reset"), state)))
                .as("the third attempt may have written the body").isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
        assertThat(reason(fixture.decider.decide(oneShot, TestResponse.status(503), state)))
                .as("a response means the body was sent").isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
        state = state.after(retry(fixture.decider.decide(oneShot, refused, state)));
        assertThat(reason(fixture.decider.decide(oneShot, refused, state)))
                .as("the attempt limit still applies").isEqualTo(FailureReason.TRANSPORT_RETRIES_EXHAUSTED);
    }

    @Test
    void transportFailuresAreRetriedLike503ForIdempotentRequestsOnly() {
        RequestFacts get = Fixture.get("https://a.test/r");
        RequestFacts post = Fixture.post("https://a.test/orders");
        TransportFailure reset = new TransportFailure(TransportFailure.Kind.CONNECTION_LOST, "Connection reset");
        TransportFailure refused = new TransportFailure(TransportFailure.Kind.CONNECT_FAILED, "Connection refused");
        TransportFailure tls = new TransportFailure(TransportFailure.Kind.TLS, "PKIX path building failed");

        Decision.Retry getRetry = retry(fixture.decider.decide(get, reset, fixture.decider.start(get)));
        assertThat(getRetry.status()).isZero();
        assertThat(getRetry.explain()).startsWith("no response (connection lost before the response: Connection reset)");

        Decision postReset = fixture.decider.decide(post, reset, fixture.decider.start(post));
        assertThat(reason(postReset)).isEqualTo(FailureReason.TRANSPORT_NOT_REPEATABLE);
        assertThat(((Decision.Fail) postReset).category()).isEqualTo(FailureCategory.TRANSPORT);

        assertThat(fixture.decider.decide(post, refused, fixture.decider.start(post)))
                .as("a request that never left may be repeated, whatever its method")
                .isInstanceOf(Decision.Retry.class);
        assertThat(reason(fixture.decider.decide(get, tls, fixture.decider.start(get))))
                .isEqualTo(FailureReason.TRANSPORT_NOT_RETRIED);
    }

    @Test
    void theRetryBudgetRefusesWhenSpentAndSaysSo() {
        RetryBudget budget = RetryBudget.of(new RetryBudgetSettings(true, 0.1, 0, Duration.ofSeconds(10), 0));
        Fixture budgeted = new Fixture(EXACT, budget);
        RequestFacts get = Fixture.get("https://a.test/r");
        budget.recordRequest(RetryBudget.keyOf(get.uri()), Fixture.NOW);
        Decision decision = budgeted.decide(get, TestResponse.status(503));
        assertThat(reason(decision)).isEqualTo(FailureReason.RETRY_BUDGET_EXHAUSTED);
        assertThat(decision.explain()).contains("retry budget for this host is spent (a.test)");

        for (int i = 0; i < 10; i++) {
            budget.recordRequest(RetryBudget.keyOf(get.uri()), Fixture.NOW);
        }
        assertThat(budgeted.decide(get, TestResponse.status(503))).isInstanceOf(Decision.Retry.class);
        assertThat(reason(budgeted.decide(Fixture.get("https://a.test:8443/r"), TestResponse.status(503))))
                .as("another origin on the same host has a budget of its own")
                .isEqualTo(FailureReason.RETRY_BUDGET_EXHAUSTED);
        assertThat(RetryBudget.keyOf(get.uri())).isEqualTo("https://a.test:443");
    }

    @Test
    void a413IsRetriedOnlyAfterItsRetryAfter() {
        RequestFacts put = RequestFacts.of("PUT", URI.create("https://a.test/x")).withBody(true, true);
        assertThat(reason(fixture.decide(put, TestResponse.status(413)))).isEqualTo(FailureReason.NO_RETRY_AFTER);
        Decision.Retry retry = retry(fixture.decide(put, TestResponse.status(413).header("Retry-After", "2")));
        assertThat(retry.delayMillis()).isEqualTo(2000);
        assertThat(reason(fixture.decide(put, TestResponse.status(413).header("Retry-After", "86400"))))
                .isEqualTo(FailureReason.RETRY_AFTER_BEYOND_CAP);
        assertThat(reason(fixture.decide(put, TestResponse.status(413).header("Retry-After", "soon"))))
                .isEqualTo(FailureReason.NO_RETRY_AFTER);
    }

    @Test
    void a404IsAwaitedOnlyWhenAskedAndOnlyWithinTheWindow() {
        RequestFacts get = Fixture.get("https://a.test/cases/7");
        assertThat(reason(fixture.decide(get, TestResponse.status(404)))).isEqualTo(FailureReason.NOT_AWAITED);

        RequestFacts awaiting = get.withAwaitResource(Duration.ofSeconds(3));
        AttemptState state = fixture.decider.start(awaiting);
        int retries = 0;
        Decision decision = fixture.decider.decide(awaiting, TestResponse.status(404), state);
        while (decision instanceof Decision.Retry retry) {
            assertThat(retry.basis()).isEqualTo(DelayBasis.AWAITING_RESOURCE);
            assertThat(retry.maxAttempts()).as("bounded by the window, not attempts").isZero();
            fixture.clock.advance(retry.delayMillis());
            state = state.after(retry);
            retries++;
            decision = fixture.decider.decide(awaiting, TestResponse.status(404), state);
        }
        assertThat(retries).isEqualTo(2); // waits 500 ms and 1 s; the next 2 s wait would end after 3 s
        assertThat(reason(decision)).isEqualTo(FailureReason.AWAIT_WINDOW_CLOSED);
        assertThat(((Decision.Fail) decision).category()).isEqualTo(FailureCategory.EXHAUSTED);
    }

    @Test
    void aRouteCanAwaitA404ForOneEndpointOnly() {
        Policy policy = EXACT.withRoute(io.statuspolicy.policy.Route.parse("GET /cases/{id}"),
                p -> p.withLimits(l -> l.withAwaitResource(Duration.ofSeconds(30))));
        Fixture routed = new Fixture(policy);
        assertThat(routed.decide(Fixture.get("https://a.test/cases/7"), TestResponse.status(404)))
                .isInstanceOf(Decision.Retry.class);
        assertThat(reason(routed.decide(Fixture.get("https://a.test/orders/7"), TestResponse.status(404))))
                .isEqualTo(FailureReason.NOT_AWAITED);
        assertThat(reason(routed.decide(RequestFacts.of("DELETE", URI.create("https://a.test/cases/7")),
                TestResponse.status(404)))).isEqualTo(FailureReason.NOT_AWAITED);
    }

    @Test
    void a411IsResentOnceWithALength() {
        RequestFacts chunked = Fixture.post("https://a.test/x").withContentLengthSent(false);
        AttemptState state = fixture.decider.start(chunked);
        Decision first = fixture.decider.decide(chunked, TestResponse.status(411), state);
        assertThat(first).isInstanceOf(Decision.ResendWithContentLength.class);
        Decision again = fixture.decider.decide(chunked.withContentLengthSent(true), TestResponse.status(411),
                state.after(first));
        assertThat(reason(again)).isEqualTo(FailureReason.LENGTH_REQUIRED_AGAIN);

        RequestFacts streamed = RequestFacts.of("POST", URI.create("https://a.test/x")).withBody(false, false);
        assertThat(reason(fixture.decide(streamed, TestResponse.status(411))))
                .isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
    }

    @Test
    void a304IsAnsweredFromTheCacheOnlyWhenTheCacheAskedForIt() {
        RequestFacts get = Fixture.get("https://a.test/doc");
        assertThat(fixture.decide(get.withConditional(Conditional.BY_CACHE, true), TestResponse.status(304)))
                .isInstanceOf(Decision.UseCachedCopy.class);
        assertThat(reason(fixture.decide(get.withConditional(Conditional.BY_CACHE, false), TestResponse.status(304))))
                .isEqualTo(FailureReason.NOT_MODIFIED_WITHOUT_COPY);
        assertThat(fixture.decide(get.withConditional(Conditional.BY_CALLER, false), TestResponse.status(304)))
                .as("the caller's own validators: the 304 is theirs").isInstanceOf(Decision.Complete.class);
        assertThat(reason(fixture.decide(get, TestResponse.status(304))))
                .isEqualTo(FailureReason.NOT_MODIFIED_UNCONDITIONAL);
    }

    @Test
    void jitterComesOnlyFromTheInjectedRandomSource() {
        Policy jittered = Policy.guideline();
        long first = retry(new Fixture(jittered).decide(Fixture.get("https://a.test/r"), TestResponse.status(503)))
                .delayMillis();
        long again = retry(new Fixture(jittered).decide(Fixture.get("https://a.test/r"), TestResponse.status(503)))
                .delayMillis();
        assertThat(first).as("same seed, same delay").isEqualTo(again);
        assertThat(first).isBetween(250L, 750L);
    }

    private static Decision.Retry retry(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Retry.class);
        return (Decision.Retry) decision;
    }

    private static FailureReason reason(Decision decision) {
        assertThat(decision).isInstanceOf(Decision.Fail.class);
        return ((Decision.Fail) decision).reason();
    }
}
