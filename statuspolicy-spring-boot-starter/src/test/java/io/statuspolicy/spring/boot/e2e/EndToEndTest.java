package io.statuspolicy.spring.boot.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * One end-to-end run: a real Boot application on an embedded Tomcat, with the starter, the
 * actuator and Micrometer, whose controller calls a scripted downstream server through Boot's
 * RestClient.Builder. The test speaks HTTP to the application only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=statuspolicy,metrics",
        "spring.http.clients.imperative.factory=jdk",
        "statuspolicy.limits.backoff.initial-delay=1ms", "statuspolicy.limits.backoff.max-delay=2ms",
        "statuspolicy.clients.payments.limits.max-attempts=1"})
class EndToEndTest {
    static final ScriptedServer downstream = ScriptedServer.start();
    private static final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void downstream(DynamicPropertyRegistry registry) {
        registry.add("downstream.url", () -> "http://127.0.0.1:" + downstream.port());
    }

    @AfterAll
    static void stop() {
        downstream.close();
    }

    @BeforeEach
    void script() {
        downstream.on("/cases/17", Reply.status(503).header("Retry-After", "0"), Reply.ok("case 17"));
        downstream.on("/old", Reply.status(301).header("Location", "/new"));
        downstream.on("/new", Reply.ok("moved"));
    }

    @SpringBootApplication
    @RestController
    static class Application {
        private final RestClient downstream;

        Application(RestClient.Builder builder, @Value("${downstream.url}") String url) {
            this.downstream = builder.baseUrl(url).build();
        }

        @GetMapping("/proxy/{path}")
        String proxy(@PathVariable String path) {
            return downstream.get().uri("/cases/{path}", path).retrieve().body(String.class);
        }

        @GetMapping("/moved")
        String moved() {
            return downstream.get().uri("/old").retrieve().body(String.class);
        }
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCallThroughTheApplicationIsRetriedObservedAndExplained() throws Exception {
        HttpResponse<String> answer = send("GET", "/proxy/17");
        assertThat(answer.body()).isEqualTo("case 17");
        assertThat(downstream.requests("/cases/17")).as("the 503 was retried once").hasSize(2);

        assertThat(send("GET", "/moved").body()).isEqualTo("moved");

        HttpResponse<String> attempts = send("GET",
                "/actuator/metrics/statuspolicy.attempts?tag=attempt.type:retry");
        assertThat(attempts.statusCode()).as(attempts.body()).isEqualTo(200);
        assertThat(attempts.body()).contains("\"statistic\":\"COUNT\",\"value\":1.0");

        HttpResponse<String> budget = send("GET", "/actuator/metrics/statuspolicy.budget.retries.available?tag=server.port:"
                + downstream.port());
        assertThat(budget.statusCode()).as(budget.body()).isEqualTo(200);
        assertThat(budget.body()).contains("\"client.name\"", "\"default\"");

        HttpResponse<String> table = send("GET", "/actuator/statuspolicy");
        assertThat(table.statusCode()).isEqualTo(200);
        assertThat(table.body()).contains("\"application\"", "\"payments\"", "\"maxAttempts\":1",
                "\"key\":\"503\"", "\"learnedRedirects\":[{\"from\":\"http://127.0.0.1:" + downstream.port() + "/old\"");

        HttpResponse<String> explain = send("GET", "/actuator/statuspolicy/503?client=payments");
        assertThat(explain.statusCode()).isEqualTo(200);
        assertThat(explain.body()).contains("\"client\":\"payments\"", "503 Service Unavailable", "RETRY");

        HttpResponse<String> forget = send("DELETE", "/actuator/statuspolicy");
        assertThat(forget.body()).contains("\"forgotten\":1");
        assertThat(send("GET", "/actuator/statuspolicy").body()).contains("\"learnedRedirects\":[]");
    }
}
