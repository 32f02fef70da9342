package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each {@link Fault} as the JDK's HttpClient sees it, and what the server records. */
class FaultTest {

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void closeServer() {
        server.close();
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void disconnectAtStartClosesTheConnectionBeforeTheRequestIsRead() throws Exception {
        server.on("/r", Reply.ok("never sent").fault(Fault.DISCONNECT_AT_START), Reply.ok("second"));

        assertThatThrownBy(() -> post(server.uri("/r"), "payload")).isInstanceOf(IOException.class);
        HttpResponse<String> retry = post(server.uri("/r"), "payload");

        assertThat(retry.body()).isEqualTo("second");
        assertThat(server.requests()).hasSize(2);
        RecordedExchange refused = server.requests().get(0);
        // MockWebServer's placeholder for a refused connection: nothing of the request was read.
        assertThat(refused.method()).isEqualTo("GET");
        assertThat(refused.target()).isEqualTo("/");
        assertThat(refused.headers()).isEmpty();
        assertThat(refused.body()).isEmpty();
        RecordedExchange applied = server.requests().get(1);
        assertThat(server.requests("/r")).containsExactly(applied);
        assertThat(applied.bodyUtf8()).isEqualTo("payload");
        assertThat(applied.connectionIndex()).isNotEqualTo(refused.connectionIndex());
    }

    @Test
    void disconnectAtStartAsTheLastReplyRefusesEveryNewConnection() {
        server.on("/down", Reply.status(200).fault(Fault.DISCONNECT_AT_START));

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> post(server.uri("/down"), "p")).isInstanceOf(IOException.class);
        }
        assertThat(server.requests()).hasSize(3)
                .extracting(RecordedExchange::connectionIndex).doesNotHaveDuplicates();
        assertThat(server.requests("/down")).isEmpty();
    }

    /**
     * Not a property of the server but of the client that the other tests use: the JDK client
     * quietly sends a GET a second time, on a new connection, when the first closes before any
     * response (guideline case 45: retries must not multiply across layers). Adapters must count
     * the requests the server saw, not the calls they made.
     */
    @Test
    void theJdkClientQuietlyResendsAGetWhoseConnectionClosedBeforeAResponse() {
        server.on("/down", Reply.status(200).fault(Fault.DISCONNECT_AT_START));

        assertThatThrownBy(() -> get(server.uri("/down"))).isInstanceOf(IOException.class);

        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void disconnectAtStartMetOnAnOpenConnectionClosesItWithoutAResponse() throws Exception {
        server.on("/a", Reply.ok("a"));
        assertThat(get(server.uri("/a")).body()).isEqualTo("a");
        server.on("/b", Reply.ok("never sent").fault(Fault.DISCONNECT_AT_START), Reply.ok("b"));

        // The kept-alive connection is reused: the request is read before the server can refuse it.
        assertThatThrownBy(() -> post(server.uri("/b"), "payload")).isInstanceOf(IOException.class);
        assertThat(post(server.uri("/b"), "payload").body()).isEqualTo("b");

        assertThat(server.requests()).extracting(RecordedExchange::path, RecordedExchange::connectionIndex)
                .containsExactly(tuple("/a", 0), tuple("/b", 0), tuple("/b", 1));
        assertThat(server.requests("/b").get(0).bodyUtf8()).isEqualTo("payload");
    }

    @Test
    void disconnectAfterRequestReadsTheWholeRequestThenCloses() throws Exception {
        server.on("/orders", Reply.status(201).fault(Fault.DISCONNECT_AFTER_REQUEST), Reply.status(201));

        assertThatThrownBy(() -> post(server.uri("/orders"), "{\"order\":1}")).isInstanceOf(IOException.class);
        assertThat(post(server.uri("/orders"), "{\"order\":1}").statusCode()).isEqualTo(201);

        assertThat(server.requests("/orders")).hasSize(2)
                .allSatisfy(e -> assertThat(e.bodyUtf8()).isEqualTo("{\"order\":1}"));
        assertThat(server.requests().get(1).connectionIndex())
                .isNotEqualTo(server.requests().get(0).connectionIndex());
    }

    @Test
    void noResponseHangsUntilTheClientTimesOut() {
        server.on("/hang", Reply.ok("never").fault(Fault.NO_RESPONSE));

        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/hang"))
                .timeout(Duration.ofMillis(300)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(server.requests("/hang")).hasSize(1);
        // server.close() (after each test) ends the stalled connection; LeakTest checks its thread ends.
    }

    @Test
    void disconnectDuringBodySendsHeadersAndPartOfTheBody() throws Exception {
        String body = "x".repeat(1000);
        server.on("/big", Reply.ok(body).fault(Fault.DISCONNECT_DURING_BODY));

        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(server.uri("/big")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("1000");
        try (InputStream in = response.body()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> get(server.uri("/big"))).isInstanceOf(IOException.class);
    }

    @Test
    void disconnectDuringAChunkedBodyNeverSendsTheLastChunk() {
        server.on("/big", Reply.ok("y".repeat(5000)).chunked().fault(Fault.DISCONNECT_DURING_BODY));

        assertThatThrownBy(() -> get(server.uri("/big"))).isInstanceOf(IOException.class);
    }

    @Test
    void aRequestAfterAFaultComesOnANewConnection() throws Exception {
        server.on("/k", Reply.ok("1"), Reply.ok("2"), Reply.status(200).fault(Fault.DISCONNECT_AFTER_REQUEST),
                Reply.ok("4"));

        get(server.uri("/k"));
        get(server.uri("/k"));
        // POST: the JDK client does not silently resend a POST whose kept-alive connection closed.
        assertThatThrownBy(() -> post(server.uri("/k"), "three")).isInstanceOf(IOException.class);
        get(server.uri("/k"));

        assertThat(server.requests("/k")).extracting(RecordedExchange::connectionIndex)
                .containsExactly(0, 0, 0, 1);
    }
}
