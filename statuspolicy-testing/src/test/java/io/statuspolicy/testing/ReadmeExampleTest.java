package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The example of README.md, kept here so that it keeps running. */
class ReadmeExampleTest {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aServerThatFailsThenRecovers() throws Exception {
        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/orders",
                    Reply.status(201).fault(Fault.DISCONNECT_AFTER_REQUEST), // read it, then hang up
                    Reply.status(503).header("Retry-After", "1"),
                    Reply.status(201).body("{\"id\":7}"));                   // the last reply repeats

            HttpRequest post = HttpRequest.newBuilder(server.uri("/orders?tenant=a"))
                    .header("Idempotency-Key", "k-1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"item\":1}"))
                    .build();

            assertThatThrownBy(() -> client.send(post, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(IOException.class);
            assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
            assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("{\"id\":7}");

            RecordedExchange first = server.requests("/orders").get(0);
            assertThat(first.target()).isEqualTo("/orders?tenant=a");
            assertThat(first.header("idempotency-key")).isEqualTo("k-1");
            assertThat(first.bodyUtf8()).isEqualTo("{\"item\":1}");
            // The fault closed the connection: the next request came on a new one.
            assertThat(server.requests().get(1).connectionIndex()).isNotEqualTo(first.connectionIndex());
        }
    }
}
