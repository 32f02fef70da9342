package io.statuspolicy.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.RecordingListener;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/** The starter in real application contexts, with real calls through Boot's own RestClient.Builder. */
class StatusPolicyAutoConfigurationTest {
    private final ScriptedServer server = ScriptedServer.start();

    /** What an application gets: Boot's HTTP client and RestClient auto-configuration, the JDK factory. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                    ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
                    RestTemplateAutoConfiguration.class, StatusPolicyAutoConfiguration.class))
            // What RedirectsOff sets in a SpringApplication (the runner runs no post-processors).
            .withPropertyValues("spring.http.clients.redirects=dont-follow",
                    "spring.http.clients.imperative.factory=jdk");

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aRestClientFromBootsBuilderFollowsThePolicyAndRecordsMeters() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(PolicyEngine.class).hasSingleBean(RestClientCustomizer.class);
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThat(client.get().uri(url("/r")).retrieve().body(String.class)).isEqualTo("fine");
            assertThat(server.requestCount()).isEqualTo(2);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.get("statuspolicy.calls").timer().count()).isEqualTo(1);
        });
    }

    @Test
    void anApplicationsOwnMetersListenerIsNotDoubled() {
        server.on("/r", Reply.ok("fine"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(MeterRegistry.class, () -> registry)
                .withBean(io.statuspolicy.micrometer.MicrometerPolicyListener.class,
                        () -> io.statuspolicy.micrometer.MicrometerPolicyListener.builder(registry).build())
                .run(context -> {
                    context.getBean(RestClient.Builder.class).build().get().uri(url("/r")).retrieve().body(String.class);
                    assertThat(registry.get("statuspolicy.calls").timer().count()).isEqualTo(1);
                });
    }

    @Test
    void aRedirectIsFollowedByThePolicyNotByTheFactory() {
        server.on("/old", Reply.status(302).header("Location", "/new"));
        server.on("/new", Reply.ok("moved"));
        RecordingListener listener = new RecordingListener();
        runner.withBean(RecordingListener.class, () -> listener).run(context -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThat(client.get().uri(url("/old")).retrieve().body(String.class)).isEqualTo("moved");
            assertThat(listener.events(PolicyEvent.AttemptStarted.class))
                    .as("the policy saw the 302 and sent the second request").hasSize(2);
        });
    }

    @Test
    void everyEngineCustomizerAdjustsTheEnginesBuilder() {
        server.on("/moved", Reply.status(301).header("Location", "/here"));
        server.on("/here", Reply.ok("here"));
        io.statuspolicy.engine.RedirectStore store = io.statuspolicy.engine.RedirectStore.inMemory(8);
        runner.withBean(PolicyEngineCustomizer.class, () -> builder -> builder.redirectStore(store)).run(context -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThat(client.get().uri(url("/moved")).retrieve().body(String.class)).isEqualTo("here");
            assertThat(store.isEmpty()).as("the 301 was learned in the customizer's store").isFalse();
        });
    }

    @Test
    void aCredentialSourceBeanSuppliesAndRenewsAuthorization() {
        server.on("/me", Reply.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""), Reply.ok("me"));
        java.util.concurrent.atomic.AtomicInteger tokens = new java.util.concurrent.atomic.AtomicInteger();
        runner.withBean(io.statuspolicy.engine.CredentialSource.class, () -> io.statuspolicy.engine.CredentialSource
                .fromSupplier(() -> "Bearer token-" + tokens.incrementAndGet())).run(context -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThat(client.get().uri(url("/me")).retrieve().body(String.class)).isEqualTo("me");
            assertThat(server.requests("/me")).extracting(r -> r.header("Authorization"))
                    .containsExactly("Bearer token-1", "Bearer token-2");
        });
    }

    @Test
    void restTemplateFromBootsBuilderCarriesThePolicy() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        runner.run(context -> {
            assertThat(context.getBean(RestTemplateBuilder.class).build().getForObject(url("/r"), String.class))
                    .isEqualTo("fine");
            assertThat(server.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void thePolicyFileIsRead() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"));
        runner.withPropertyValues("statuspolicy.policy-file=classpath:two-attempts.yaml").run(context -> {
            assertThat(context.getBean(Policy.class).limits().maxAttempts()).isEqualTo(2);
            RestClient client = context.getBean(RestClient.Builder.class).build();

            assertThatThrownBy(() -> client.get().uri(url("/r")).retrieve().body(String.class))
                    .isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(PolicyException.class);
            assertThat(server.requestCount()).isEqualTo(2);
        });
    }

    @Test
    void apacheHttpClientsOwnRetriesAreSwitchedOff() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.status(503).header("Retry-After", "0"),
                Reply.ok("fine"));
        // The control: Boot's HttpComponents factory on its own resends a 503 once.
        RestClient plain = RestClient.builder()
                .requestFactory(org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder.httpComponents().build())
                .build();
        assertThatThrownBy(() -> plain.get().uri(url("/r")).retrieve().body(String.class));
        assertThat(server.requestCount()).as("HttpClient 5 retried by itself").isEqualTo(2);

        server.on("/s", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        runner.withPropertyValues("spring.http.clients.imperative.factory=http-components",
                "statuspolicy.policy-file=classpath:no-503-retry.yaml").run(context -> {
            RestClient client = context.getBean(RestClient.Builder.class).build();
            assertThatThrownBy(() -> client.get().uri(url("/s")).retrieve().body(String.class));
            assertThat(server.requests("/s")).as("the policy says no retry, and HttpClient 5 adds none").hasSize(1);
        });
    }

    @Test
    void aMissingPolicyFileFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("statuspolicy.policy-file=classpath:nowhere.yaml").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("statuspolicy.policy-file").hasMessageContaining("nowhere.yaml"));
    }

    @Test
    void redirectsTurnedBackOnFailStartUpNamingTheProperty() {
        runner.withPropertyValues("spring.http.clients.redirects=follow").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("spring.http.clients.redirects").hasMessageContaining("dont-follow"));
    }

    @Test
    void disabledMeansNoEngineAndNoCustomizer() {
        runner.withPropertyValues("statuspolicy.enabled=false", "spring.http.clients.redirects=follow").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(PolicyEngine.class)
                        .doesNotHaveBean(RestClientCustomizer.class));
    }

    @Test
    void theFeignCapabilityIsABeanWhenStatuspolicyFeignIsPresent() {
        runner.run(context -> assertThat(context.getBean("statusPolicyFeignCapability"))
                .isInstanceOf(feign.Capability.class));
    }

    @Test
    void anApplicationsOwnEngineIsUsed() {
        PolicyEngine own = PolicyEngine.builder().build();
        runner.withBean(PolicyEngine.class, () -> own).run(context ->
                assertThat(context.getBean(PolicyEngine.class)).isSameAs(own));
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.ImportAutoConfiguration({HttpClientAutoConfiguration.class,
            ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
            StatusPolicyAutoConfiguration.class})
    static class Application {
    }

    @Test
    void aRealSpringApplicationStartsWithRedirectsOffByDefaultAndCallsThroughThePolicy() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("fine"));
        SpringApplication application = new SpringApplication(Application.class);
        application.setWebApplicationType(org.springframework.boot.WebApplicationType.NONE);
        try (var context = application.run("--spring.http.clients.imperative.factory=jdk")) {
            assertThat(context.getEnvironment().getProperty("spring.http.clients.redirects")).isEqualTo("dont-follow");
            RestClient client = context.getBean(RestClient.Builder.class).build();
            assertThat(client.get().uri(url("/r")).retrieve().body(String.class)).isEqualTo("fine");
            assertThat(server.requestCount()).isEqualTo(2);
        }
    }

    @Test
    void thePostProcessorDefaultsRedirectsToDontFollowAndTheApplicationStillWins() {
        StandardEnvironment environment = new StandardEnvironment();
        new RedirectsOff().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("spring.http.clients.redirects")).isEqualTo("dont-follow");

        StandardEnvironment overridden = new StandardEnvironment();
        overridden.getPropertySources().addFirst(new MapPropertySource("application",
                java.util.Map.of("spring.http.clients.redirects", "follow")));
        new RedirectsOff().postProcessEnvironment(overridden, new SpringApplication());
        assertThat(overridden.getProperty("spring.http.clients.redirects")).isEqualTo("follow");
        assertThatThrownBy(() -> RedirectsOff.check(overridden)).hasMessageContaining("spring.http.clients.redirects");
    }
}
