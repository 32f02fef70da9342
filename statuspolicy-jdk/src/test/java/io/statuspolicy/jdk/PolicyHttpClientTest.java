package io.statuspolicy.jdk;

import io.statuspolicy.engine.DeadlineTimer;

import io.statuspolicy.engine.PolicyException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.decision.FailureReason;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What is particular to the java.net.http executor, beyond the conformance suite. */
class PolicyHttpClientTest {
    private final ScriptedServer server = ScriptedServer.start();
    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    @AfterEach
    void stop() {
        server.close();
    }

    private PolicyHttpClient.Builder builder() {
        return PolicyHttpClient.builder().clock(clock).sleeper(new FakeSleeper(clock)).listener(listener);
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThatThrownBy(() -> PolicyHttpClient.wrap(following))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("followRedirects(Redirect.NEVER)");
        PolicyHttpClient wrapped = PolicyHttpClient.wrap(HttpClient.newBuilder().build());
        assertThat(wrapped.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThatThrownBy(() -> PolicyHttpClient.wrap(wrapped)).hasMessageContaining("already follows a policy");
    }

    @Test
    void aStreamBeyondTheBufferIsSentOnceWholeAndNotRepeated() throws Exception {
        server.on("/upload", Reply.status(503), Reply.status(201));
        byte[] big = new byte[64 * 1024];
        java.util.Arrays.fill(big, (byte) 7);
        PolicyHttpClient client = builder().bodyBufferLimit(1024).build();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/upload"))
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as("the 503 is the answer: the body cannot be sent again").isEqualTo(503);
        assertThat(server.requests("/upload")).hasSize(1);
        assertThat(server.requests("/upload").get(0).body()).as("sent whole, never truncated").isEqualTo(big);
        Decision last = listener.decisions().get(listener.decisions().size() - 1);
        assertThat(((Decision.Fail) last).reason()).isEqualTo(FailureReason.BODY_NOT_REPLAYABLE);
        assertThat(last.explain()).contains("the request body cannot be sent again");
    }

    @Test
    void exhaustedRetriesThrowWithTheLastResponseAndWhatWasTried() throws Exception {
        server.on("/down", Reply.status(503).body("still down"));
        PolicyHttpClient client = builder().build();
        HttpRequest request = HttpRequest.newBuilder(server.uri("/down")).build();

        PolicyException failure = null;
        try {
            client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (PolicyException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(failure.requests()).isEqualTo(4);
        assertThat(failure.retries()).isEqualTo(3);
        assertThat(failure.lastStatus()).isEqualTo(503);
        assertThat(failure.waitedMillis()).isPositive();
        assertThat(failure.response()).hasValueSatisfying(r -> assertThat(r.bodyText()).isEqualTo("still down"));
        assertThat(failure.getMessage()).startsWith("503 Service Unavailable: the guideline says retry (shall); "
                + "gave up: every attempt used (4 of 4 attempts) [4 requests, 3 retries, waited");
    }

    @Test
    void asynchronousCallsLeaveNoThreadsOfOursBehind() throws Exception {
        server.on("/ok", Reply.ok("ok"));
        server.on("/retry", Reply.status(503), Reply.ok("ok"));
        PolicyHttpClient client = builder().build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            calls.add(client.sendAsync(HttpRequest.newBuilder(server.uri(i % 2 == 0 ? "/ok" : "/retry")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get().statusCode()).isEqualTo(200);
        }
        // The credential-refresh pool (bounded, idle threads end after 10 s) may hold threads from
        // other tests; no call here refreshes, so only the shared body-deadline timer may be ours.
        long ours = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("statuspolicy")
                        && !thread.getName().startsWith("statuspolicy-refresh-")).count();
        assertThat(ours).as("at most the one shared body-deadline timer, which ends when idle").isLessThanOrEqualTo(1);
    }

    @Test
    void bodyDeadlinesAreDisarmedWhenTheBodyEnds() throws Exception {
        server.on("/small", Reply.ok("tiny"));
        PolicyHttpClient client = builder().build();
        for (int i = 0; i < 20; i++) {
            client.send(HttpRequest.newBuilder(server.uri("/small")).build(), HttpResponse.BodyHandlers.ofString());
        }
        // Deliver a whole body during subscription, as a stored copy does: nothing may stay armed.
        Bodies.withDeadline(HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8), 120_000,
                IllegalStateException::new);
        Bodies.feed(Bodies.withDeadline(HttpResponse.BodySubscribers.ofString(java.nio.charset.StandardCharsets.UTF_8),
                120_000, IllegalStateException::new), "stored".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(DeadlineTimer.armed()).isZero();
    }

    @Test
    void listenersHearTheEndOfTheCallBeforeTheCallerSeesIt() throws Exception {
        server.on("/ok", Reply.ok("ok"));
        server.on("/down", Reply.status(503));
        PolicyHttpClient client = builder().build();
        for (int i = 0; i < 20; i++) {
            listener.clear();
            client.send(HttpRequest.newBuilder(server.uri("/ok")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listener.events(io.statuspolicy.event.PolicyEvent.CallFinished.class)).hasSize(1);
        }
        listener.clear();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/down")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(PolicyException.class);
        assertThat(listener.events(io.statuspolicy.event.PolicyEvent.CallFinished.class)).hasSize(1);
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheCall() throws Exception {
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = builder().listener(new io.statuspolicy.event.PolicyListener() {
            @Override
            public void decisionMade(io.statuspolicy.event.PolicyEvent.DecisionMade event) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        assertThat(client.send(HttpRequest.newBuilder(server.uri("/ok")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("fine");
    }
}
