package io.statuspolicy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.statuspolicy.engine.PolicyEngine;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.http.HttpClient;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Spring Framework 7's {@code @Retryable} around methods whose RestClient carries the policy, in a
 * real application context ({@code @EnableResilientMethods}) against a server that answers 503
 * forever: with {@link StatusPolicyRetryPredicate} the server sees the policy's 4 attempts; without
 * it, 4 x 4.
 */
class RetryablePredicateTest {
    static final ScriptedServer SERVER = ScriptedServer.start();

    /** A service whose methods call the server through a RestClient with the policy. */
    public static class Cases {
        final RestClient client;
        private final AtomicInteger businessCalls = new AtomicInteger();

        public int businessCalls() {
            return businessCalls.get();
        }

        public Cases(RestClient client) {
            this.client = client;
        }

        @Retryable(maxRetries = 3, delay = 0, predicate = StatusPolicyRetryPredicate.class)
        public String withThePredicate(String path) {
            return client.get().uri(path).retrieve().body(String.class);
        }

        @Retryable(maxRetries = 3, delay = 0)
        public String withoutIt(String path) {
            return client.get().uri(path).retrieve().body(String.class);
        }

        /** Fails with a business exception twice, then calls the server. */
        @Retryable(maxRetries = 3, delay = 0, predicate = StatusPolicyRetryPredicate.class)
        public String businessFailureFirst(String path) {
            if (businessCalls.incrementAndGet() <= 2) {
                throw new IllegalStateException("the order is locked, try again");
            }
            return client.get().uri(path).retrieve().body(String.class);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class App {
        @Bean
        Cases cases() {
            FakeClock clock = new FakeClock();
            // The retry budget off: only the attempt limit bounds the policy's retries, so the
            // multiplication is exact (with the budget on it also caps the damage, less predictably).
            PolicyEngine engine = PolicyEngine.builder().clock(clock).sleeper(new FakeSleeper(clock))
                    .policy(io.statuspolicy.policy.Policy.guideline().withLimits(
                            l -> l.withRetryBudget(io.statuspolicy.policy.RetryBudgetSettings.OFF)))
                    .build();
            return new Cases(StatusPolicySpring.with(engine).install(RestClient.builder()
                    .baseUrl("http://127.0.0.1:" + SERVER.port())
                    .requestFactory(StatusPolicySpring.requestFactory(HttpClient.newBuilder()))).build());
        }
    }

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class);
    private final Cases cases = context.getBean(Cases.class);

    @AfterEach
    void close() {
        context.close();
    }

    @Test
    void withThePredicateAnExhausted503IsNotRetriedAgain() {
        SERVER.otherwise(Reply.status(503));
        int before = SERVER.requests("/down").size();

        assertThatThrownBy(() -> cases.withThePredicate("/down"))
                .isInstanceOf(ResourceAccessException.class).hasCauseInstanceOf(PolicyException.class);

        assertThat(SERVER.requests("/down").size() - before).as("the policy's attempt limit, not 4 x 4").isEqualTo(4);
    }

    @Test
    void withoutThePredicateTheAttemptsMultiply() {
        SERVER.otherwise(Reply.status(503));
        int before = SERVER.requests("/down-too").size();

        assertThatThrownBy(() -> cases.withoutIt("/down-too")).isInstanceOf(ResourceAccessException.class);

        assertThat(SERVER.requests("/down-too").size() - before).isEqualTo(16);
    }

    @Test
    void aStatusThePolicyReturnedIsNotRetriedButABusinessFailureIs() {
        SERVER.on("/missing", Reply.status(404), Reply.status(404), Reply.status(404));
        assertThatThrownBy(() -> cases.withThePredicate("/missing")).isInstanceOf(HttpClientErrorException.NotFound.class);
        assertThat(SERVER.requests("/missing")).as("the policy returned the 404 as final").hasSize(1);

        SERVER.on("/after-business", Reply.ok("placed"));
        assertThat(cases.businessFailureFirst("/after-business")).isEqualTo("placed");
        assertThat(cases.businessCalls()).as("the business failures were retried").isEqualTo(3);
    }

    @Test
    void aStatusExceptionFromACallWithoutThePolicyIsRetried() {
        StatusPolicyRetryPredicate.Receipts.clear();
        HttpClientErrorException plain = HttpClientErrorException.create(
                org.springframework.http.HttpStatus.CONFLICT, "Conflict", new org.springframework.http.HttpHeaders(),
                new byte[0], null);
        assertThat(new StatusPolicyRetryPredicate().shouldRetry(null, plain)).isTrue();
        assertThat(new StatusPolicyRetryPredicate().shouldRetry(null, new IllegalStateException())).isTrue();
    }
}
