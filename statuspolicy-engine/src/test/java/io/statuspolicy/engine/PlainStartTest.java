package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.statuspolicy.budget.RetryBudget;
import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The first-attempt fast path ({@link PlainStart}, issue 14) is invisible: the same script of
 * outcomes, run once on the fast path and once on the full path (forced by an unrelated entry
 * in the redirect memory, which the full path looks up and does not use), sends the same
 * attempts, tells a listener the same events in the same order, ends with the same response or
 * failure and leaves the same retry budget, synchronously and asynchronously. The transport is
 * an in-memory stand-in for an HTTP client (the engine is what is tested).
 */
class PlainStartTest {
    private static final URI TARGET = URI.create("http://a.test/r?q=1#part");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC);

    /** One attempt's outcome: a status with a body that completes or breaks, or a failure before the head. */
    private record Outcome(int status, String location, boolean bodyBreaks, boolean failsBeforeHead) {
        static Outcome status(int status) {
            return new Outcome(status, null, false, false);
        }

        static Outcome redirect(int status, String location) {
            return new Outcome(status, location, false, false);
        }

        static Outcome brokenBody(int status) {
            return new Outcome(status, null, true, false);
        }

        static Outcome noHead() {
            return new Outcome(0, null, false, true);
        }
    }

    private static final class Scripted implements Transport<String> {
        final Deque<Outcome> script;
        final List<String> sent = new ArrayList<>();

        Scripted(List<Outcome> outcomes) {
            script = new ArrayDeque<>(outcomes);
        }

        @Override
        public Exchange<String> send(Attempt attempt) throws IOException {
            sent.add(attempt.number() + " " + attempt.method() + " " + attempt.uri() + " " + attempt.headers() + " "
                    + attempt.body() + " " + attempt.timeoutMillis() + " " + attempt.freshConnection());
            Outcome next = script.removeFirst();
            if (next.failsBeforeHead()) {
                throw new java.net.ConnectException("refused");
            }
            return new Canned(next);
        }

        @Override
        public CompletableFuture<Exchange<String>> sendAsync(Attempt attempt) {
            try {
                return CompletableFuture.completedFuture(send(attempt));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public TransportFailure classify(Throwable error) {
            return new TransportFailure(error instanceof java.net.ConnectException
                    ? TransportFailure.Kind.CONNECT_FAILED : TransportFailure.Kind.OTHER, String.valueOf(error));
        }
    }

    private record Canned(Outcome outcome) implements Exchange<String> {
        @Override
        public int status() {
            return outcome.status();
        }

        @Override
        public List<String> headerValues(String name) {
            if (name.equalsIgnoreCase("Location") && outcome.location() != null) {
                return List.of(outcome.location());
            }
            return name.equalsIgnoreCase("Content-Length") ? List.of("2") : List.of();
        }

        @Override
        public Map<String, List<String>> headers() {
            return outcome.location() == null ? Map.of("Content-Length", List.of("2"))
                    : Map.of("Content-Length", List.of("2"), "Location", List.of(outcome.location()));
        }

        @Override
        public CompletableFuture<String> deliver(BodyTap tap, long deadlineMillis) {
            if (outcome.bodyBreaks()) {
                return CompletableFuture.failedFuture(new BodyFailure(new IOException("reset mid-body"), false));
            }
            return CompletableFuture.completedFuture(outcome.status() + " within " + deadlineMillis);
        }

        @Override
        public CompletableFuture<String> deliverStored(int status, Map<String, List<String>> headers, byte[] body) {
            throw new AssertionError("no store here");
        }

        @Override
        public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
            return CompletableFuture.completedFuture(new Kept("ok".getBytes(), false));
        }

        @Override
        public void discard() {
        }

        @Override
        public void abort() {
        }
    }

    private static final class Recording implements PolicyListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void attemptStarted(PolicyEvent.AttemptStarted event) {
            events.add(event.toString());
        }

        @Override
        public void decisionMade(PolicyEvent.DecisionMade event) {
            events.add(event.toString());
        }

        @Override
        public void waiting(PolicyEvent.Waiting event) {
            events.add(event.toString());
        }

        @Override
        public void gaveUp(PolicyEvent.GaveUp event) {
            events.add(event.toString());
        }

        @Override
        public void callFinished(PolicyEvent.CallFinished event) {
            events.add(event.toString());
        }
    }

    /** What one run showed: attempts sent, events, the result, the budget afterwards. */
    private record Run(List<String> sent, List<String> events, String result, RetryBudget.Usage budget) {
    }

    private static final Sleeper NO_WAIT = new Sleeper() {
        @Override
        public void sleep(Duration duration) {
        }

        @Override
        public CompletableFuture<Void> delay(Duration duration) {
            return CompletableFuture.completedFuture(null);
        }
    };

    private static PolicyEngine engine(boolean full, PolicyListener listener) {
        RedirectStore memory = RedirectStore.inMemory(10);
        if (full) {
            memory.remember("MOVED http://elsewhere.test/", new RedirectStore.Moved(URI.create("http://b.test/"), 301,
                    Long.MAX_VALUE / 4));
        }
        PolicyEngine.Builder builder = PolicyEngine.builder().policy(Policy.guideline()).clock(CLOCK).sleeper(NO_WAIT)
                .random(new java.util.SplittableRandom(3)).redirectStore(memory);
        if (listener != null) {
            builder.listener(listener);
        }
        return builder.build();
    }

    private static Run run(boolean full, boolean async, boolean listening, List<Outcome> script) throws Exception {
        Recording listener = listening ? new Recording() : null;
        PolicyEngine engine = engine(full, listener);
        CallSpec spec = new CallSpec("GET", TARGET, Map.of("Accept", List.of("text/plain")), false, true, true,
                CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(5)));
        assertThat(PlainStart.applies(engine, spec)).as("fast path taken").isEqualTo(!full);
        Scripted transport = new Scripted(script);
        String result;
        try {
            result = async ? engine.executeAsync(spec, transport).get() : engine.execute(spec, transport);
        } catch (ExecutionException e) {
            result = "failed: " + e.getCause();
        } catch (IOException e) {
            result = "failed: " + e;
        }
        return new Run(transport.sent, listening ? List.copyOf(listener.events) : List.of(), result,
                engine.decider().budget().usage(RetryBudget.keyOf(TARGET), CLOCK.millis()));
    }

    static Stream<Arguments> scripts() {
        return Stream.of(
                Arguments.of("200", List.of(Outcome.status(200))),
                Arguments.of("204", List.of(Outcome.status(204))),
                Arguments.of("503 then 200", List.of(Outcome.status(503), Outcome.status(200))),
                Arguments.of("no head then 200", List.of(Outcome.noHead(), Outcome.status(200))),
                Arguments.of("body broke unseen, then 200", List.of(Outcome.brokenBody(200), Outcome.status(200))),
                Arguments.of("302 then 200", List.of(Outcome.redirect(302, "/s"), Outcome.status(200))),
                Arguments.of("404", List.of(Outcome.status(404))),
                Arguments.of("503 four times", List.of(Outcome.status(503), Outcome.status(503), Outcome.status(503),
                        Outcome.status(503))),
                Arguments.of("status 799", List.of(Outcome.status(799))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scripts")
    void theFastPathSendsTellsAndEndsAsTheFullPathDoes(String name, List<Outcome> script) throws Exception {
        for (boolean async : new boolean[] {false, true}) {
            for (boolean listening : new boolean[] {true, false}) {
                Run full = run(true, async, listening, script);
                Run fast = run(false, async, listening, script);
                assertThat(fast).as("%s, %s, %s", name, async ? "async" : "sync",
                        listening ? "listening" : "nobody listening").isEqualTo(full);
                assertThat(fast.sent()).isNotEmpty();
                if (listening) {
                    assertThat(fast.events()).isNotEmpty();
                }
            }
        }
    }

    @Test
    void aSuccessOnTheFastPathCountsInTheBudgetAndSendsTheCallersFields() throws Exception {
        Run fast = run(false, false, false, List.of(Outcome.status(200)));
        assertThat(fast.result()).isEqualTo("200 within 5000");
        assertThat(fast.sent()).containsExactly(
                "1 GET http://a.test/r?q=1 {Accept=[text/plain]} NONE 5000 false");
        assertThat(fast.budget().requests()).isEqualTo(1);
        assertThat(fast.budget().retries()).isZero();
    }

    @Test
    void whatTheEngineHoldsTakesACallOffTheFastPath() {
        CallSpec get = new CallSpec("GET", TARGET, Map.of(), false, true, true, CallOptions.DEFAULT);
        assertThat(PlainStart.applies(PolicyEngine.builder().build(), get)).isTrue();
        assertThat(PlainStart.applies(PolicyEngine.builder().credentials(CredentialSource.fixed("Bearer t")).build(),
                get)).isFalse();
        assertThat(PlainStart.applies(PolicyEngine.builder().responseStore(ResponseStore.inMemory(1024)).build(),
                get)).isFalse();
        HoldStore holds = HoldStore.inMemory(10);
        holds.hold("HOLD http://a.test", new io.statuspolicy.decision.HostHold(
                io.statuspolicy.decision.HostHold.Scope.ORIGIN, 503, Long.MAX_VALUE / 4, false), CLOCK.millis());
        assertThat(PlainStart.applies(PolicyEngine.builder().holdStore(holds).build(), get)).isFalse();
        CallSpec badMethod = new CallSpec("G T", TARGET, Map.of(), false, true, true, CallOptions.DEFAULT);
        assertThat(PlainStart.applies(PolicyEngine.builder().build(), badMethod)).isFalse();
        Throwable refused = catchThrowable(() -> PolicyEngine.builder().build().execute(badMethod,
                new Scripted(List.of(Outcome.status(200)))));
        assertThat(refused).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token");
    }

    /**
     * Nobody listening, the default clock: the first head's time is the deadline timer's last
     * tick, like the start's (no clock read), so a call that runs within one tick gives its body
     * exactly the deadline plus the tick the start was padded by; and however the ticks fall, the
     * body never gets less time than is really left.
     */
    @Test
    void aFirstHeadNobodyListensToIsTimedAtTheTimersTickAndItsBodyNeverGetsLessThanIsLeft() throws Exception {
        FirstAttempt ticking = new FirstAttempt.Kept() {
        };
        assertThat(ticking.take()).as("a watch taken keeps the timer ticking").isTrue();
        try {
            long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (DeadlineTimer.lastTickNanos() == DeadlineTimer.NO_TICK && System.nanoTime() < until) {
                Thread.sleep(1);
            }
            PolicyEngine engine = PolicyEngine.builder().policy(Policy.guideline()).sleeper(NO_WAIT).build();
            CallSpec spec = new CallSpec("GET", URI.create("http://a.test/r"), Map.of(), false, true, true,
                    CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(5)));
            long padded = 5_000 + DeadlineTimer.TICK_MILLIS;
            for (boolean async : new boolean[] {false, true}) {
                boolean withinOneTick = false;
                for (int i = 0; i < 50 && !withinOneTick; i++) {
                    long tick = DeadlineTimer.lastTickNanos();
                    long before = System.nanoTime();
                    Scripted transport = new Scripted(List.of(Outcome.status(200)));
                    String result = async ? engine.executeAsync(spec, transport).get() : engine.execute(spec, transport);
                    long tookMillis = (System.nanoTime() - before + 999_999) / 1_000_000;
                    long left = Long.parseLong(result.substring("200 within ".length()));
                    assertThat(left).as("async %s: never less than is left", async).isGreaterThanOrEqualTo(5_000 - tookMillis)
                            .isLessThanOrEqualTo(padded);
                    if (DeadlineTimer.lastTickNanos() == tick) {
                        withinOneTick = true;
                        assertThat(left).as("async %s: head and start at one tick", async).isEqualTo(padded);
                    }
                }
                assertThat(withinOneTick).as("async %s: a call ran within one tick", async).isTrue();
            }
        } finally {
            ticking.release();
        }
    }
}
