package io.statuspolicy.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.spring.StatusPolicySpring;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/** The WebClient part of the starter in real application contexts, with real calls through Boot's own WebClient.Builder. */
class StatusPolicyWebClientAutoConfigurationTest {
    private final ScriptedServer server = ScriptedServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                    ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
                    StatusPolicyAutoConfiguration.class, StatusPolicyWebClientAutoConfiguration.class))
            // What RedirectsOff sets in a SpringApplication (the runner runs no post-processors).
            .withPropertyValues("spring.http.clients.redirects=dont-follow",
                    "spring.http.clients.reactive.connector=reactor");

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aWebClientFromBootsBuilderFollowsThePolicy() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        server.on("/old", Reply.redirect(302, "/new"));
        server.on("/new", Reply.ok("moved"));
        runner.run(context -> {
            assertThat(context).hasBean("statusPolicyWebClientCustomizer");
            WebClient client = context.getBean(WebClient.Builder.class).build();

            assertThat(client.get().uri(url("/r")).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
                    .isEqualTo("fine");
            assertThat(server.requests("/r")).hasSize(2);

            assertThat(client.get().uri(url("/old")).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10)))
                    .isEqualTo("moved");
            assertThat(server.requests("/old")).as("followed once, by the policy").hasSize(1);
            assertThat(server.requests("/new")).hasSize(1);
        });
    }

    @Test
    void reactorNettysRetryOnceIsSwitchedOffInTheConnectorBootBuilds() {
        runner.run(context -> assertThat(StatusPolicySpring.checked(context.getBean(ClientHttpConnector.class)))
                .isNotNull());
        // The control: Boot's connector without the starter's customizer retries once on its own.
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                        ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class))
                .withPropertyValues("spring.http.clients.redirects=dont-follow",
                        "spring.http.clients.reactive.connector=reactor")
                .run(context -> assertThatThrownBy(() -> StatusPolicySpring.checked(context.getBean(ClientHttpConnector.class)))
                        .hasMessageContaining("disableRetry(true)"));
    }

    @Test
    void redirectsTurnedBackOnFailStartUpNamingTheProperty() {
        runner.withPropertyValues("spring.http.clients.redirects=follow").run(context ->
                assertThat(context).hasFailed().getFailure().hasStackTraceContaining("spring.http.clients.redirects"));
    }

    @Test
    void disabledMeansNoFilter() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        runner.withPropertyValues("statuspolicy.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(StatusPolicySpring.class);
            WebClient client = context.getBean(WebClient.Builder.class).build();
            assertThatThrownBy(() -> client.get().uri(url("/r")).retrieve().bodyToMono(String.class)
                    .block(Duration.ofSeconds(10))).hasMessageContaining("503");
            assertThat(server.requests("/r")).hasSize(1);
        });
    }
}
