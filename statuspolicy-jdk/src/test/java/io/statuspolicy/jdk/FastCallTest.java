package io.statuspolicy.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.DeadlineTimer;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The synchronous first-attempt fast path over the real JDK client ({@link FastCall}): what it
 * sends, the deadline it keeps without a request timeout of its own, and every way out of it to
 * the engine's full path. The conformance suite runs all its scenarios through it as well.
 */
class FastCallTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aFirstSuccessIsTheJdksOwnResponseToTheCallersRequestAsItIs() throws Exception {
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        // A head timeout longer than the call's deadline: the engine's full path would send the time
        // left instead; the fast path sends the caller's own and keeps the deadline itself.
        HttpRequest request = HttpRequest.newBuilder(server.uri("/ok")).timeout(Duration.ofHours(1)).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(),
                CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20)));

        assertThat(response.body()).isEqualTo("fine");
        assertThat(response.request().timeout()).as("the caller's request went out as it is")
                .contains(Duration.ofHours(1));
        assertThat(response.previousResponse()).isEmpty();
        assertThat(server.requests("/ok")).hasSize(1);
        assertThat(DeadlineTimer.armed()).isZero();
    }

    @Test
    void theCallsDeadlineEndsAWaitForTheHeadWithoutARequestTimeoutAndLeavesNoInterrupt() throws Exception {
        server.on("/slow", Reply.ok("late").headersDelay(Duration.ofSeconds(3)));
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        HttpRequest slow = HttpRequest.newBuilder(server.uri("/slow")).build(); // no timeout of its own

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(slow, HttpResponse.BodyHandlers.ofString(),
                CallOptions.DEFAULT.withDeadline(Duration.ofMillis(300))))
                .isInstanceOf(PolicyException.class).hasMessageContaining("deadline");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(tookMillis).as("never before the deadline").isBetween(300L, 2_500L);
        assertThat(Thread.currentThread().isInterrupted()).as("the watch's interrupt is cleared").isFalse();
        assertThat(server.requests("/slow")).as("no attempt after the deadline").hasSize(1);
        for (int i = 0; i < 50; i++) { // the pooled objects serve the next calls
            assertThat(client.send(HttpRequest.newBuilder(server.uri("/ok")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("fine");
        }
        Thread.sleep(4 * DeadlineTimer.TICK_MILLIS);
        assertThat(Thread.currentThread().isInterrupted()).as("no stray interrupt later").isFalse();
    }

    @Test
    void theCallersInterruptWhileWaitingForTheHeadStopsTheCallAndKeepsItsFlag() throws Exception {
        server.on("/slow", Reply.ok("late").headersDelay(Duration.ofSeconds(2)));
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.complete(client.send(HttpRequest.newBuilder(server.uri("/slow")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            } catch (InterruptedException e) {
                outcome.complete(Thread.currentThread().isInterrupted() ? "interrupted, flag kept" : "flag lost");
            } catch (Exception e) {
                outcome.complete(e);
            }
        });
        caller.start();
        server.takeRequest(Duration.ofSeconds(5));
        Thread.sleep(100);
        caller.interrupt();

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("interrupted, flag kept");
        Thread.sleep(2_200); // the late head arrives for an abandoned call: nothing of it reaches the next ones
        for (int i = 0; i < 20; i++) {
            assertThat(client.send(HttpRequest.newBuilder(server.uri("/ok")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("fine");
        }
        assertThat(server.requests("/slow")).hasSize(1);
    }

    @Test
    void aStreamingHandlerIsAskedOnceAndItsBodyArrivesThroughTheEngine() throws Exception {
        server.on("/ok", Reply.ok("streamed"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        AtomicInteger asked = new AtomicInteger();
        BodyHandler<InputStream> handler = info -> {
            asked.incrementAndGet();
            return HttpResponse.BodySubscribers.ofInputStream();
        };

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(server.uri("/ok")).build(), handler);

        try (InputStream body = response.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("streamed");
        }
        assertThat(asked).as("the caller's handler is asked once per response").hasValue(1);
    }

    @Test
    void aHeadThatNeedsADecisionGoesOnInTheEngineWithTheSameEventsAsTheFullPath() throws Exception {
        server.on("/flaky", Reply.status(503).header("Retry-After", "0"), Reply.ok("second"));
        List<String> events = new ArrayList<>();
        PolicyListener listener = new PolicyListener() {
            @Override
            public void attemptStarted(PolicyEvent.AttemptStarted event) {
                events.add("attempt " + event.attempt());
            }

            @Override
            public void decisionMade(PolicyEvent.DecisionMade event) {
                events.add("decided " + event.decision().status());
            }

            @Override
            public void callFinished(PolicyEvent.CallFinished event) {
                events.add("finished " + event.requests());
            }
        };
        io.statuspolicy.testing.FakeClock clock = new io.statuspolicy.testing.FakeClock();
        PolicyHttpClient client = PolicyHttpClient.builder().clock(clock)
                .sleeper(new io.statuspolicy.testing.FakeSleeper(clock)).listener(listener).build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/flaky")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("second");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.requests("/flaky")).hasSize(2);
        assertThat(events).containsExactly("attempt 1", "decided 503", "attempt 2", "decided 200", "finished 2");
    }

    /**
     * The pooled objects are shared by every client and live as long as the JVM: once a call
     * ended, whether the fast path delivered it or the engine took it over, none of the caller's
     * objects (its client, request, handler) may stay reachable from them.
     */
    @Test
    void aCallThatEndedLeavesNothingOfTheCallersReachableFromThePool() throws Exception {
        server.on("/ok", Reply.ok("fine"));
        server.on("/flaky", Reply.status(503).header("Retry-After", "0"), Reply.ok("second"));
        for (String path : List.of("/ok", "/flaky")) {
            List<java.lang.ref.WeakReference<Object>> left = callAndForget(path);
            for (int i = 0; i < 50 && left.stream().anyMatch(ref -> ref.get() != null); i++) {
                System.gc();
                Thread.sleep(10);
            }
            assertThat(left).as(path + ": client, request, handler").allMatch(ref -> ref.get() == null);
        }
    }

    /** One call to {@code path} with a client, request and handler of its own; weak references to the three. */
    private List<java.lang.ref.WeakReference<Object>> callAndForget(String path) throws Exception {
        io.statuspolicy.testing.FakeClock clock = new io.statuspolicy.testing.FakeClock();
        PolicyHttpClient client = PolicyHttpClient.builder().clock(clock)
                .sleeper(new io.statuspolicy.testing.FakeSleeper(clock)).build();
        HttpRequest request = HttpRequest.newBuilder(server.uri(path)).build();
        Object mark = new Object();
        BodyHandler<String> handler = info -> {
            assertThat(mark).isNotNull(); // captured: a handler of this call's own
            return HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        };
        assertThat(client.send(request, handler).statusCode()).isEqualTo(200);
        return List.of(new java.lang.ref.WeakReference<>(client), new java.lang.ref.WeakReference<>(request),
                new java.lang.ref.WeakReference<>(handler));
    }

    @Test
    void aHeadFramedTwoWaysIsRefusedWhetherItHasFewFieldsOrMany() throws Exception {
        // Few fields are walked once; many are looked up by name: both find the two framings,
        // whatever the spelling of the Content-Length field's name.
        Reply both = Reply.ok("hello").chunked().header("content-length", "5");
        Reply many = both;
        for (int i = 0; i < 20; i++) {
            many = many.header("X-Field-" + i, "v");
        }
        server.on("/few", both);
        server.on("/many", many);
        server.on("/mixed-case", Reply.ok("hello").chunked().header("CONTENT-length", "5"));
        server.on("/as-registered", Reply.ok("hello").chunked().header("Content-Length", "5"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        for (String path : List.of("/few", "/many", "/mixed-case", "/as-registered")) {
            HttpRequest request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofHours(1)).build();
            assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString(),
                    CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20))))
                    .as(path).hasStackTraceContaining("both Transfer-Encoding and Content-Length");
        }
    }

    @Test
    void framingFieldNamesAreRecognisedWithoutRegardToCase() {
        for (String name : List.of("Content-Length", "content-length", "CONTENT-LENGTH", "content-LENGTH")) {
            assertThat(FastCall.isNamed(name, "Content-Length", "content-length")).as(name).isTrue();
        }
        for (String name : List.of("Transfer-Encoding", "transfer-encoding", "TRANSFER-ENCODING")) {
            assertThat(FastCall.isNamed(name, "Transfer-Encoding", "transfer-encoding")).as(name).isTrue();
        }
        for (String name : List.of("Content-Lengtx", "Content_Length", "Content-Type", "Content-Length ")) {
            assertThat(FastCall.isNamed(name, "Content-Length", "content-length")).as(name).isFalse();
        }
    }

    @Test
    void aSuccessWithManyFieldsStaysOnTheFastPath() throws Exception {
        Reply many = Reply.ok("fine");
        for (int i = 0; i < 20; i++) {
            many = many.header("X-Field-" + i, "v");
        }
        server.on("/many", many);
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/many")).timeout(Duration.ofHours(1)).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(),
                CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20)));

        assertThat(response.body()).isEqualTo("fine");
        assertThat(response.request().timeout()).as("the caller's request, as it is").contains(Duration.ofHours(1));
    }

    @Test
    void whenThisThreadsPooledObjectsAreAllTakenTheCallTakesTheFullPath() throws Exception {
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/ok")).timeout(Duration.ofHours(1)).build();
        CallOptions deadline = CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20));
        List<FastCall> held = new ArrayList<>();
        for (FastCall taken = FastCall.POOL.take(); taken != null; taken = FastCall.POOL.take()) {
            held.add(taken);
        }
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(), deadline);
            assertThat(response.body()).isEqualTo("fine");
            // The time left counts from the call's start as the timer's last tick gave it, at most a
            // tick before the call began, plus that tick: so it never ends the call early.
            assertThat(response.request().timeout()).as("the full path sends the time left as the head timeout")
                    .hasValueSatisfying(timeout -> assertThat(timeout)
                            .isLessThanOrEqualTo(Duration.ofSeconds(20).plusMillis(DeadlineTimer.TICK_MILLIS)));
        } finally {
            held.forEach(FastCall::release);
        }
        assertThat(held).hasSizeBetween(1, 4);
        assertThat(client.send(request, HttpResponse.BodyHandlers.ofString(), deadline).request().timeout())
                .contains(Duration.ofHours(1));
    }

    @Test
    void aBudgetThatThrowsAtTheStartLeavesThePooledObjectsUsable() throws Exception {
        server.on("/ok", Reply.ok("fine"));
        io.statuspolicy.budget.RetryBudget broken = new io.statuspolicy.budget.RetryBudget() {
            @Override
            public boolean allowsRetry(String key, long nowMillis) {
                return true;
            }

            @Override
            public void recordRequest(String key, long nowMillis) {
                throw new IllegalStateException("the budget's store is down");
            }

            @Override
            public void recordRetry(String key, long nowMillis) {
            }
        };
        PolicyHttpClient failing = PolicyHttpClient.builder().retryBudget(broken).build();
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/ok")).timeout(Duration.ofHours(1)).build();
        for (int i = 0; i < 10; i++) { // more than the objects this thread may take
            assertThatThrownBy(() -> failing.send(request, HttpResponse.BodyHandlers.ofString()))
                    .hasMessageContaining("store is down");
        }
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(),
                CallOptions.DEFAULT.withDeadline(Duration.ofSeconds(20)));
        assertThat(response.request().timeout()).as("still on the fast path").contains(Duration.ofHours(1));
        assertThat(server.requests("/ok")).as("nothing was sent by the failing starts").hasSize(1);
    }
}
