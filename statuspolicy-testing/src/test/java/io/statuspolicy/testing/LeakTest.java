package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Closing a server ends its connections and its threads, even with a request left hanging. */
class LeakTest {

    private static List<String> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("MockWebServer"))
                .toList();
    }

    @Test
    void closeEndsStalledConnectionsAndEveryServerThread() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ScriptedServer server = ScriptedServer.start();
        server.on("/hang", Reply.ok("never").fault(Fault.NO_RESPONSE));
        CompletableFuture<HttpResponse<String>> hanging = client.sendAsync(
                HttpRequest.newBuilder(server.uri("/hang")).build(), HttpResponse.BodyHandlers.ofString());
        server.takeRequest(Duration.ofSeconds(2));
        assertThat(serverThreads()).isNotEmpty();

        long start = System.nanoTime();
        server.close();
        server.close(); // idempotent

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(hanging).failsWithin(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (!serverThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(serverThreads()).isEmpty();
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(server.uri("/hang"))
                .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
