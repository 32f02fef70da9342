package io.statuspolicy.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feign.Feign;
import feign.RequestLine;
import io.statuspolicy.policy.Grade;
import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.policy.Route;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import io.statuspolicy.engine.PolicyException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

/** {@code statuspolicy.*} in the policy file's shape, and per-client policies by name, in real contexts. */
class StatusPolicyPropertiesTest {
    private final ScriptedServer server = ScriptedServer.start();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
                    ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
                    HttpServiceClientPropertiesAutoConfiguration.class, HttpServiceClientAutoConfiguration.class,
                    StatusPolicyAutoConfiguration.class))
            .withPropertyValues("spring.http.clients.redirects=dont-follow",
                    "spring.http.clients.imperative.factory=jdk",
                    // Short waits, so the calls below take no time; a test below reads this one back.
                    "statuspolicy.limits.backoff.initial-delay=1ms", "statuspolicy.limits.backoff.max-delay=2ms");

    @AfterEach
    void stop() {
        server.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void propertiesInTheFilesShapeChangeTheGuideline() {
        runner.withPropertyValues("statuspolicy.limits.max-attempts=2",
                "statuspolicy.limits.backoff.initial-delay=2ms",
                "statuspolicy.limits.retry-budget.ratio=0.5",
                "statuspolicy.limits.circuit-breaker.enabled=true",
                "statuspolicy.redirect-safety.allow-https-to-http=true",
                "statuspolicy.rules.502.handling=fail",
                "statuspolicy.rules.502.grade=must-not-retry",
                "statuspolicy.rules.402.class-rule=true",
                "statuspolicy.rules.5xx.keep-rows=true",
                "statuspolicy.rules.5xx.max-retries=1",
                "statuspolicy.routes[0].route=GET /cases/{id}",
                "statuspolicy.routes[0].limits.await-resource=30s").run(context -> {
            Policy policy = context.getBean(Policy.class);
            assertThat(policy.limits().maxAttempts()).isEqualTo(2);
            assertThat(policy.limits().backoff().initialDelay()).isEqualTo(Duration.ofMillis(2));
            assertThat(policy.limits().backoff().maxDelay()).isEqualTo(Duration.ofMillis(2));
            assertThat(policy.limits().retryBudget().ratio()).isEqualTo(0.5);
            assertThat(policy.limits().circuitBreaker().enabled()).isTrue();
            assertThat(policy.redirectSafety().allowHttpsToHttp()).isTrue();
            assertThat(policy.rule(502).handling()).isEqualTo(Handling.FAIL);
            assertThat(policy.rule(502).grade()).isEqualTo(Grade.MUST_NOT_RETRY);
            assertThat(policy.rule(402)).as("the row dropped: the 4xx class rule applies")
                    .isEqualTo(Policy.guideline().withoutRow(402).rule(402));
            assertThat(policy.rule(503)).as("keep-rows leaves the 5xx rows").isEqualTo(Policy.guideline().rule(503));
            assertThat(policy.routes()).singleElement().satisfies(scoped -> {
                assertThat(scoped.route()).isEqualTo(Route.parse("GET /cases/{id}"));
                assertThat(scoped.policy().limits().awaitResource()).isEqualTo(Duration.ofSeconds(30));
            });
        });
    }

    @Test
    void propertiesChangeThePolicyFileAsASecondFileWould() {
        runner.withPropertyValues("statuspolicy.policy-file=classpath:two-attempts.yaml",
                "statuspolicy.limits.deadline=5s").run(context -> {
            Policy policy = context.getBean(Policy.class);
            assertThat(policy.limits().maxAttempts()).as("from the file").isEqualTo(2);
            assertThat(policy.limits().deadline()).as("from the property").isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void noPropertiesIsTheGuideline() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StatusPolicyAutoConfiguration.class))
                .withPropertyValues("spring.http.clients.redirects=dont-follow").run(context -> assertThat(context.getBean(Policy.class)).isEqualTo(Policy.guideline()));
    }

    @Test
    void aValueThePolicyRefusesStopsStartUpNamingTheProperty() {
        runner.withPropertyValues("statuspolicy.limits.max-attempts=0").run(context ->
                assertInvalid(context, "statuspolicy.limits.max-attempts", "0", "at least 1"));
        runner.withPropertyValues("statuspolicy.limits.backoff.multiplier=0.5").run(context ->
                assertInvalid(context, "statuspolicy.limits.backoff.multiplier", "0.5", ">= 1"));
        runner.withPropertyValues("statuspolicy.limits.deadline=soon").run(context ->
                assertInvalid(context, "statuspolicy.limits.deadline", "soon", "duration"));
        runner.withPropertyValues("statuspolicy.rules.600.handling=fail").run(context ->
                assertInvalid(context, "statuspolicy.rules.600", "600", "a status from 100 to 599"));
        runner.withPropertyValues("statuspolicy.routes[0].route=GET cases").run(context ->
                assertInvalid(context, "statuspolicy.routes[0].route", "GET cases", ""));
        runner.withPropertyValues("statuspolicy.rules.402.class-rule=true", "statuspolicy.rules.402.grade=shall-retry")
                .run(context -> assertInvalid(context, "statuspolicy.rules.402.class-rule", "true", "cannot be given"));
        runner.withPropertyValues("statuspolicy.clients.payments.limits.max-attempts=-1").run(context ->
                assertInvalid(context, "statuspolicy.clients.payments.limits.max-attempts", "-1", "at least 1"));
    }

    @Test
    void aValueOfTheWrongTypeStopsStartUpWithBootsBindingError() {
        runner.withPropertyValues("statuspolicy.limits.max-attempts=three").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(NumberFormatException.class);
            assertThat(causeOf(context, BindException.class).getMessage())
                    .contains("statuspolicy.limits.max-attempts");
        });
        runner.withPropertyValues("statuspolicy.rules.503.handling=try-again").run(context ->
                assertThat(causeOf(context, BindException.class).getMessage()).contains("statuspolicy.rules.503.handling"));
    }

    @Test
    void aNamedRestClientFollowsItsOwnPolicyAndOthersTheApplications() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"));
        runner.withPropertyValues("statuspolicy.clients.payments.limits.max-attempts=1").run(context -> {
            StatusPolicyClients clients = context.getBean(StatusPolicyClients.class);
            assertThat(clients.names()).containsExactly("payments");
            assertThat(clients.policy("payments").limits().maxAttempts()).isEqualTo(1);
            assertThat(clients.policy("other")).isEqualTo(context.getBean(Policy.class));
            assertThat(clients.engine("payments")).isSameAs(clients.engine("payments"));

            RestClient payments = clients.install("payments", context.getBean(RestClient.Builder.class)).build();
            assertThatThrownBy(() -> payments.get().uri(url("/r")).retrieve().body(String.class))
                    .isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(PolicyException.class);
            assertThat(server.requestCount()).as("one attempt: the client's own policy").isEqualTo(1);

            RestClient plain = context.getBean(RestClient.Builder.class).build();
            assertThatThrownBy(() -> plain.get().uri(url("/r")).retrieve().body(String.class));
            assertThat(server.requestCount() - 1).as("the guideline's attempts")
                    .isEqualTo(Policy.guideline().limits().maxAttempts());
        });
    }

    @Test
    void aClientsOwnPolicyFileIsReadOverTheApplicationsPolicy() {
        runner.withPropertyValues("statuspolicy.limits.deadline=7s",
                "statuspolicy.clients.payments.policy-file=classpath:two-attempts.yaml").run(context -> {
            Policy payments = context.getBean(StatusPolicyClients.class).policy("payments");
            assertThat(payments.limits().maxAttempts()).isEqualTo(2);
            assertThat(payments.limits().deadline()).as("the application's, beneath").isEqualTo(Duration.ofSeconds(7));
        });
        runner.withPropertyValues("statuspolicy.clients.payments.policy-file=classpath:nowhere.yaml").run(context ->
                assertInvalid(context, "statuspolicy.clients.payments.policy-file", "classpath:nowhere.yaml", "no policy file"));
    }

    interface Cases {
        @GetExchange("/r")
        String get();
    }

    interface Other {
        @GetExchange("/r")
        String get();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportHttpServices(group = "cases", types = Cases.class)
    @ImportHttpServices(group = "other", types = Other.class)
    static class Services {
    }

    @Test
    void anHttpServiceGroupFollowsItsOwnPolicy() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"));
        runner.withUserConfiguration(Services.class)
                .withPropertyValues("spring.http.serviceclient.cases.base-url=" + url(""),
                        "spring.http.serviceclient.other.base-url=" + url(""),
                        "statuspolicy.clients.cases.limits.max-attempts=2").run(context -> {
            assertThatThrownBy(() -> context.getBean(Cases.class).get()).isInstanceOf(ResourceAccessException.class);
            assertThat(server.requestCount()).as("the group's own policy: 2 attempts").isEqualTo(2);

            assertThatThrownBy(() -> context.getBean(Other.class).get()).isInstanceOf(ResourceAccessException.class);
            assertThat(server.requestCount() - 2).as("a group without one: the application's policy")
                    .isEqualTo(Policy.guideline().limits().maxAttempts());
        });
    }

    interface FeignApi {
        @RequestLine("GET /r")
        String get();
    }

    @Test
    void aFeignClientFollowsThePolicyOfItsName() {
        server.on("/r", Reply.status(503).header("Retry-After", "0"));
        runner.withPropertyValues("statuspolicy.clients.payments.limits.max-attempts=1").run(context -> {
            feign.Capability capability = context.getBean("statusPolicyFeignCapability", feign.Capability.class);
            FeignApi payments = Feign.builder().addCapability(capability)
                    .target(new feign.Target.HardCodedTarget<>(FeignApi.class, "payments", url("")));
            assertThatThrownBy(payments::get).isInstanceOf(feign.FeignException.class);
            assertThat(server.requestCount()).isEqualTo(1);

            FeignApi other = Feign.builder().addCapability(capability)
                    .target(new feign.Target.HardCodedTarget<>(FeignApi.class, "other", url("")));
            assertThatThrownBy(other::get).isInstanceOf(feign.FeignException.class);
            assertThat(server.requestCount() - 1).isEqualTo(Policy.guideline().limits().maxAttempts());
        });
    }

    private static void assertInvalid(AssertableApplicationContext context, String name, String value, String reason) {
        assertThat(context).hasFailed();
        InvalidConfigurationPropertyValueException e = causeOf(context, InvalidConfigurationPropertyValueException.class);
        assertThat(e.getName()).isEqualTo(name);
        assertThat(e.getValue()).isEqualTo(value);
        assertThat(e.getReason()).contains(reason);
    }

    private static <T extends Throwable> T causeOf(AssertableApplicationContext context, Class<T> type) {
        Throwable t = context.getStartupFailure();
        while (t != null && !type.isInstance(t)) {
            t = t.getCause();
        }
        assertThat(t).as("a %s in %s", type.getSimpleName(), context.getStartupFailure()).isNotNull();
        return type.cast(t);
    }
}
