package io.statuspolicy.jdk;

import io.statuspolicy.engine.DeadlineTimer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.statuspolicy.engine.CallOptions;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.CookieManager;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the java.net.http adapter does that the conformance suite cannot see through its client-neutral view. */
class JdkAdapterTest {
    private final ScriptedServer server = ScriptedServer.start();
    private final FakeClock clock = new FakeClock();

    @AfterEach
    void stop() {
        server.close();
    }

    private PolicyHttpClient.Builder builder() {
        return PolicyHttpClient.builder().clock(clock).sleeper(new FakeSleeper(clock));
    }

    @Test
    void aDelegateWithACookieHandlerIsRefusedBecauseItsCookiesWouldCrossOrigins() {
        HttpClient.Builder withCookies = HttpClient.newBuilder().cookieHandler(new CookieManager());
        assertThatThrownBy(() -> builder().delegate(withCookies).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CookieHandler").hasMessageContaining("Cookie field");
        HttpClient existing = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager()).build();
        assertThatThrownBy(() -> builder().build(existing)).hasMessageContaining("CookieHandler");
    }

    @Test
    void aDelegateWithAnAuthenticatorIsRefused() {
        HttpClient.Builder withAuthenticator = HttpClient.newBuilder().authenticator(new Authenticator() { });
        assertThatThrownBy(() -> builder().delegate(withAuthenticator).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Authenticator").hasMessageContaining("CredentialSource");
    }

    /**
     * RFC 9110 §8.6: no Content-Length on a request without content whose method does not
     * anticipate any. The JDK sends "Content-Length: 0" for an empty body publisher, so a body-less
     * attempt carries the caller's own publisher choice, or none when a redirect changed the method.
     * A JDK 17 build without the fix of JDK-8283544 (fixed in 19, backported to later 17 updates)
     * adds "Content-Length: 0" to every body-less request itself, whatever request it is given; the
     * adapter cannot take that away, so there the GETs must carry exactly what the bare client
     * sends, and nothing more.
     */
    @Test
    void aGetGoesOutWithoutContentLengthOnEveryAttemptAndAfterA303() throws Exception {
        server.on("/probe", Reply.ok("bare"));
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri("/probe")).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        String jdkOwn = server.requests("/probe").get(0).header("Content-Length"); // null on a fixed JDK
        assertThat(jdkOwn).as("what the bare JDK client sends on a GET").isIn(null, "0");
        if (Runtime.version().feature() >= 19) {
            assertThat(jdkOwn).as("JDK-8283544 is fixed from 19 on").isNull();
        }
        server.on("/get", Reply.status(503), Reply.ok("got"));
        server.on("/post", Reply.redirect(303, "/seen"));
        server.on("/seen", Reply.ok("seen"));
        server.on("/empty", Reply.ok("empty"));
        PolicyHttpClient client = builder().build();
        PolicyHttpClient withCredentials = builder().credentials(io.statuspolicy.engine.CredentialSource.fixed(
                "Bearer t")).build();

        client.send(HttpRequest.newBuilder(server.uri("/get")).GET().build(), HttpResponse.BodyHandlers.ofString());
        withCredentials.send(HttpRequest.newBuilder(server.uri("/get")).GET().build(),
                HttpResponse.BodyHandlers.ofString()); // a rebuilt request (the credential is added)
        client.send(HttpRequest.newBuilder(server.uri("/get")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        client.send(HttpRequest.newBuilder(server.uri("/post")).POST(HttpRequest.BodyPublishers.ofString("form"))
                .build(), HttpResponse.BodyHandlers.ofString());
        client.send(HttpRequest.newBuilder(server.uri("/empty")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(server.requests("/get")).hasSize(4).allSatisfy(request -> assertThat(
                request.header("Content-Length")).as(request.method() + " " + request.target()).isEqualTo(jdkOwn));
        assertThat(server.requests("/get").get(2).header("Authorization")).isEqualTo("Bearer t");
        assertThat(server.requests("/get").get(3).method()).isEqualTo("DELETE");
        assertThat(server.requests("/post")).singleElement()
                .satisfies(request -> assertThat(request.header("Content-Length")).isEqualTo("4"));
        assertThat(server.requests("/seen")).singleElement().satisfies(request -> {
            assertThat(request.method()).isEqualTo("GET");
            assertThat(request.header("Content-Length")).isEqualTo(jdkOwn);
        });
        assertThat(server.requests("/empty")).singleElement().as("a POST keeps the caller's empty body")
                .satisfies(request -> assertThat(request.header("Content-Length")).isEqualTo("0"));
    }

    /**
     * A buffering handler's subscriber goes to the JDK as it is (a wrapped one costs a hop to the
     * JDK's executor per response), and its deadline interrupts the caller's send: the call fails
     * at the deadline, the connection is closed, and the interrupt is the timer's, not the
     * caller's: the flag is clear afterwards and the thread's next call works.
     */
    @Test
    void theDeadlineOfABufferedBodyEndsTheCallAndLeavesNoInterruptBehind() throws Exception {
        server.on("/drip", Reply.ok("x".repeat(100)).throttleBody(1, Duration.ofMillis(100)));
        server.on("/ok", Reply.ok("fine"));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        HttpRequest drip = HttpRequest.newBuilder(server.uri("/drip")).build();

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(drip, HttpResponse.BodyHandlers.ofString(),
                CallOptions.DEFAULT.withDeadline(Duration.ofMillis(400))))
                .isInstanceOf(PolicyException.class).hasMessageContaining("deadline");
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(Thread.currentThread().isInterrupted()).as("the timer's interrupt is cleared").isFalse();
        assertThat(tookMillis).isBetween(350L, 2500L);
        assertThat(server.awaitNoBodyInProgress(ScriptedServer.cancelledConnectionGrace())).as("the dripping body was abandoned").isTrue();
        for (int i = 0; i < 200; i++) { // no stray interrupt after calls whose guard was disarmed
            assertThat(client.send(HttpRequest.newBuilder(server.uri("/ok")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("fine");
        }
        Thread.sleep(3 * DeadlineTimer.TICK_MILLIS);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(DeadlineTimer.armed()).isZero();
    }

    /** The caller's own interrupt during a buffered body still stops the call and keeps its flag. */
    @Test
    void theCallersInterruptDuringABufferedBodyIsTheCallers() throws Exception {
        server.on("/drip", Reply.ok("x".repeat(100)).throttleBody(1, Duration.ofMillis(100)));
        PolicyHttpClient client = PolicyHttpClient.builder().build();
        java.util.concurrent.CompletableFuture<Object> outcome = new java.util.concurrent.CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                outcome.complete(client.send(HttpRequest.newBuilder(server.uri("/drip")).build(),
                        HttpResponse.BodyHandlers.ofString()));
            } catch (InterruptedException e) {
                outcome.complete(Thread.currentThread().isInterrupted() ? "interrupted, flag kept" : "flag lost");
            } catch (Exception e) {
                outcome.complete(e);
            }
        });
        caller.start();
        server.takeRequest(Duration.ofSeconds(5));
        Thread.sleep(300);
        caller.interrupt();
        assertThat(outcome.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("interrupted, flag kept");
        assertThat(server.awaitNoBodyInProgress(ScriptedServer.cancelledConnectionGrace())).as("the dripping body was abandoned").isTrue();
    }

    @Test
    void aRetriedResponseWithNoBodyLeavesItsConnectionForTheRetry() throws Exception {
        // A 503 with Content-Length: 0 is discarded with the JDK's own subscriber (nothing to
        // bound): the connection goes back to the pool at once and the retry goes out on it.
        server.on("/empty", Reply.status(503), Reply.status(503), Reply.ok("after two empty 503s"));
        PolicyHttpClient client = builder().build();

        HttpResponse<String> get = client.send(HttpRequest.newBuilder(server.uri("/empty")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(get.body()).isEqualTo("after two empty 503s");
        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests()).extracting(io.statuspolicy.testing.RecordedExchange::connectionIndex)
                .as("the call and both retries on one connection").containsOnly(server.requests().get(0).connectionIndex());
        assertThat(DeadlineTimer.armed()).isZero();
    }

    @Test
    void aRetriedAnswerToHeadLeavesItsConnectionForTheRetry() throws Exception {
        // An answer to HEAD has no body whatever its Content-Length says (RFC 9110 §9.3.2): its
        // discard reads nothing and the retry goes out on the same connection.
        server.on("/h", Reply.status(503).body("x".repeat(100)), Reply.ok("y".repeat(50)));
        PolicyHttpClient client = builder().build();

        HttpResponse<String> head = client.send(HttpRequest.newBuilder(server.uri("/h"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("50");
        assertThat(head.body()).isEmpty();
        assertThat(server.requests("/h")).extracting(io.statuspolicy.testing.RecordedExchange::method)
                .containsExactly("HEAD", "HEAD");
        assertThat(server.requests()).extracting(io.statuspolicy.testing.RecordedExchange::connectionIndex)
                .as("the call and its retry on one connection").containsOnly(server.requests().get(0).connectionIndex());
        assertThat(DeadlineTimer.armed()).isZero();
    }

    @Test
    void previousResponseCarriesTheChainOfEarlierResponses() throws Exception {
        server.on("/a", Reply.redirect(302, "/b"));
        server.on("/b", Reply.status(503), Reply.ok("end"));
        PolicyHttpClient client = builder().build();

        HttpResponse<String> response = client.send(HttpRequest.newBuilder(server.uri("/a")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.body()).isEqualTo("end");
        HttpResponse<String> previous = response.previousResponse().orElseThrow();
        assertThat(previous.statusCode()).isEqualTo(503);
        assertThat(previous.body()).as("earlier responses carry no body").isNull();
        HttpResponse<String> first = previous.previousResponse().orElseThrow();
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(first.uri()).isEqualTo(server.uri("/a"));
        assertThat(first.previousResponse()).isEmpty();
    }

    @Test
    void aStreamingBodyIsNeverRetriedOnceHandedOver() throws Exception {
        server.on("/stream", Reply.ok("s".repeat(8192)).fault(Fault.DISCONNECT_DURING_BODY), Reply.ok("second"));
        PolicyHttpClient client = builder().build();

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(server.uri("/stream")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        try (InputStream body = response.body()) {
            assertThatThrownBy(body::readAllBytes).isInstanceOf(java.io.IOException.class);
        }
        assertThat(server.requests("/stream")).as("the caller already had the stream: no second request").hasSize(1);
    }

    @Test
    void exhaustedRetriesWithAStreamingHandlerLeaveNoConnectionOpen() throws Exception {
        for (int i = 0; i < 4; i++) {
            server.on("/down", Reply.status(503).body("x".repeat(100_000)));
        }
        PolicyHttpClient client = builder().build();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/down")).build(),
                HttpResponse.BodyHandlers.ofInputStream()))
                .isInstanceOfSatisfying(PolicyException.class, failure -> {
                    assertThat(failure.response().orElseThrow().body()).hasSize(PolicyException.KEPT_BODY_LIMIT);
                    assertThat(failure.response().orElseThrow().truncated()).isTrue();
                });
        assertThat(server.awaitNoBodyInProgress(Duration.ofSeconds(3))).isTrue();
        assertThat(DeadlineTimer.armed()).as("no deadline timer left armed").isZero();
    }

    @Test
    void onJdk21AndLaterTheLifecycleReachesTheWrappedClient() throws Exception {
        assumeTrue(Lifecycle.available(), "java.net.http.HttpClient has close() from JDK 21 on");
        server.on("/r", Reply.ok("before close"));
        PolicyHttpClient client = builder().build();
        assertThat(client.send(HttpRequest.newBuilder(server.uri("/r")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("before close");
        assertThat(client.isTerminated()).isFalse();

        client.close();

        assertThat(Lifecycle.invoke(client.delegate(), "isTerminated")).as("the delegate itself is closed").isEqualTo(true);
        assertThat(client.isTerminated()).isTrue();
        assertThat(client.awaitTermination(Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void onJdk17TheLifecycleMethodsDoNothingAndSayNo() throws Exception {
        assumeTrue(!Lifecycle.available(), "only before JDK 21");
        PolicyHttpClient client = builder().build();
        client.shutdown();
        client.close();
        assertThat(client.isTerminated()).isFalse();
        assertThat(client.awaitTermination(Duration.ofMillis(1))).isFalse();
    }
}
