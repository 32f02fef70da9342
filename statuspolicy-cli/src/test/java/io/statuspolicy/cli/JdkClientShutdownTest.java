package io.statuspolicy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The JDK client's selector thread is gone after {@link JdkClientShutdown#stop}, so exit does not wait for it. */
class JdkClientShutdownTest {

    private static Set<Thread> selectors() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().endsWith("-SelectorManager")).collect(Collectors.toSet());
    }

    @Test
    void theSelectorThreadEnds() throws Exception {
        Set<Thread> before = selectors();
        try (ScriptedServer server = ScriptedServer.start()) {
            server.on("/r", Reply.ok("x"));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            client.send(HttpRequest.newBuilder(server.uri("/r")).build(), HttpResponse.BodyHandlers.discarding());
            Set<Thread> running = selectors();
            running.removeAll(before);
            assertThat(running).as("the client's selector thread").hasSize(1);

            JdkClientShutdown.stop(client);

            assertThat(running.iterator().next().isAlive()).isFalse();
        }
    }

    @Test
    void nullIsNothingToStop() {
        JdkClientShutdown.stop(null);
    }
}
