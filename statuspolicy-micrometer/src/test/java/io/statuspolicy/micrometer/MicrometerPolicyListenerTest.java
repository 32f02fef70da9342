package io.statuspolicy.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.statuspolicy.engine.CredentialSource;
import io.statuspolicy.engine.PolicyException;
import io.statuspolicy.jdk.PolicyHttpClient;
import io.statuspolicy.policy.Policy;
import io.statuspolicy.testing.FakeClock;
import io.statuspolicy.testing.FakeSleeper;
import io.statuspolicy.testing.Fault;
import io.statuspolicy.testing.Reply;
import io.statuspolicy.testing.ScriptedServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The meters after real calls: the JDK adapter against a loopback server, in virtual time, with a
 * real {@link SimpleMeterRegistry}. Each assertion names the meter and its tags as a dashboard would.
 */
class MicrometerPolicyListenerTest {
    private static final Policy EXACT = Policy.guideline().withLimits(l -> l.withBackoff(l.backoff().withJitter(0)));

    private final ScriptedServer server = ScriptedServer.start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FakeClock clock = new FakeClock();

    @AfterEach
    void stop() {
        server.close();
    }

    private PolicyHttpClient client(MicrometerPolicyListener listener) {
        return client(listener, null);
    }

    private PolicyHttpClient client(MicrometerPolicyListener listener, CredentialSource credentials) {
        PolicyHttpClient.Builder builder = PolicyHttpClient.builder().policy(EXACT).clock(clock)
                .sleeper(new FakeSleeper(clock)).listener(listener);
        if (credentials != null) {
            builder.credentials(credentials);
        }
        return builder.build();
    }

    private MicrometerPolicyListener listener() {
        return MicrometerPolicyListener.builder(registry).clientName("billing").build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).GET().build();
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private Timer timer(String name, String... tags) {
        return registry.get(name).tags(tags).timer();
    }

    @Test
    void aHeldOriginAndACircuitThatOpensProbesAndClosesAreMetered() throws Exception {
        Policy oneAttemptWithBreaker = EXACT.withLimits(l -> l.withMaxAttempts(1)
                .withCircuitBreaker(io.statuspolicy.policy.CircuitBreakerSettings.OFF.withEnabled(true).withFailures(2)
                        .withOpenFor(Duration.ofSeconds(5))));
        MicrometerPolicyListener listener = listener();
        PolicyHttpClient client = PolicyHttpClient.builder().policy(oneAttemptWithBreaker).clock(clock)
                .sleeper(new FakeSleeper(clock)).listener(listener).build();
        server.on("/busy", Reply.status(503).header("Retry-After", "2"), Reply.ok("later"));
        server.on("/down", Reply.status(500), Reply.status(500), Reply.ok("back"));
        String address = server.host();

        // A 503 with Retry-After holds the origin: the next call waits for it, then goes.
        assertThatThrownBy(() -> client.send(get(server.uri("/busy")), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(PolicyException.class); // one attempt only: exhausted
        assertThat(client.send(get(server.uri("/busy")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(count(PolicyMeters.HOST_CHECKS, PolicyMeters.SERVER_ADDRESS, address, PolicyMeters.CHECK, "wait"))
                .isEqualTo(1);

        // Two failed calls in a row open the circuit; the next fails at once; after openFor one probe closes it.
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> client.send(get(server.uri("/down")), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(PolicyException.class);
        }
        assertThat(registry.get(PolicyMeters.CIRCUIT_STATE).tags(PolicyMeters.SERVER_ADDRESS, address).gauge().value())
                .isEqualTo(2);
        assertThatThrownBy(() -> client.send(get(server.uri("/down")), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(PolicyException.class).hasMessageContaining("circuit");
        clock.advance(Duration.ofSeconds(6));
        assertThat(client.send(get(server.uri("/down")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        assertThat(count(PolicyMeters.CIRCUIT_TRANSITIONS, PolicyMeters.FROM, "closed", PolicyMeters.TO, "open")).isEqualTo(1);
        assertThat(count(PolicyMeters.CIRCUIT_TRANSITIONS, PolicyMeters.FROM, "open", PolicyMeters.TO, "half_open"))
                .isEqualTo(1);
        assertThat(count(PolicyMeters.CIRCUIT_TRANSITIONS, PolicyMeters.FROM, "half_open", PolicyMeters.TO, "closed"))
                .isEqualTo(1);
        assertThat(registry.get(PolicyMeters.CIRCUIT_STATE).tags(PolicyMeters.SERVER_ADDRESS, address).gauge().value())
                .isZero();
        assertThat(server.requests("/down")).as("the refused call sent nothing").hasSize(3);
    }


    @Test
    void theWatchedBudgetIsAGaugePerOriginCalled() throws Exception {
        io.statuspolicy.budget.RetryBudget budget = io.statuspolicy.budget.RetryBudget.of(
                io.statuspolicy.policy.RetryBudgetSettings.DEFAULT.withCredit(0).withMinRetries(2).withRatio(0.5));
        MicrometerPolicyListener listener = listener().watchRetryBudget(budget, clock);
        PolicyHttpClient client = PolicyHttpClient.builder().policy(EXACT).clock(clock).sleeper(new FakeSleeper(clock))
                .listener(listener).retryBudget(budget).build();
        server.on("/r", Reply.status(503).header("Retry-After", "0"), Reply.ok("done"));

        assertThat(client.send(get(server.uri("/r")), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

        double available = registry.get(PolicyMeters.BUDGET_AVAILABLE).tags(PolicyMeters.CLIENT_NAME, "billing",
                PolicyMeters.SERVER_ADDRESS, server.host(), PolicyMeters.SERVER_PORT, Integer.toString(server.port()))
                .gauge().value();
        assertThat(available).as("2 + 0.5 x 1 request - 1 retry").isEqualTo(1.5);
        client.send(get(server.uri("/r")), HttpResponse.BodyHandlers.ofString());
        assertThat(registry.get(PolicyMeters.BUDGET_AVAILABLE).gauges()).as("one gauge per origin").hasSize(1);
        assertThat(registry.get(PolicyMeters.BUDGET_AVAILABLE).gauge().value()).isEqualTo(2.0);
    }

    @Test
    void aRetriedCallIsOneTimedCallOfTwoAttemptsAndOneWait() throws Exception {
        server.on("/r", Reply.status(503).header("Retry-After", "3"), Reply.ok("done"));
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(listener());
            assertThat(client.send(get(server.uri("/r")), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }

        Timer calls = timer(PolicyMeters.CALLS, "client.name", "billing", "http.request.method", "GET",
                "server.address", "127.0.0.1", "kind", "successful_with_retry", "outcome", "complete",
                "failure.category", "none");
        assertThat(calls.count()).isEqualTo(1);
        assertThat(calls.totalTime(TimeUnit.MILLISECONDS)).as("waits included").isGreaterThanOrEqualTo(3000);
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "original", "server.address", "127.0.0.1")).isEqualTo(1);
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "retry")).isEqualTo(1);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "retry", "rule", "503", "grade", "shall",
                "reason", "retry_after", "http.response.status_code", "503", "error.type", "none")).isEqualTo(1);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "complete", "http.response.status_code", "200"))
                .isEqualTo(1);
        Timer waits = timer(PolicyMeters.WAITS, "client.name", "billing", "basis", "retry_after");
        assertThat(waits.count()).isEqualTo(1);
        assertThat(waits.totalTime(TimeUnit.SECONDS)).isEqualTo(3.0);
    }

    @Test
    void aRedirectIsAnAttemptOfItsOwnTypeAndNotARetry() throws Exception {
        server.on("/old", Reply.redirect(302, "/new"));
        server.on("/new", Reply.ok("here"));
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(listener());
            client.send(get(server.uri("/old")), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "redirect")).isEqualTo(1);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "follow_redirect", "rule", "302")).isEqualTo(1);
        assertThat(timer(PolicyMeters.CALLS, "kind", "successful_without_retry").count()).isEqualTo(1);
    }

    @Test
    void aStatusThePolicyReturnsIsAFailedCallWithItsCategoryAndRule() throws Exception {
        server.on("/missing", Reply.status(404).body("no"));
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(listener());
            assertThat(client.send(get(server.uri("/missing")), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(404);
        }
        assertThat(timer(PolicyMeters.CALLS, "kind", "failed_without_retry", "outcome", "fail",
                "failure.category", "not_retried", "rule", "404").count()).isEqualTo(1);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "fail", "rule", "404", "grade", "may",
                "reason", "not_awaited", "http.response.status_code", "404")).isEqualTo(1);
    }

    @Test
    void exhaustedRetriesOfATransportFailureCountTheErrorType() throws Exception {
        server.on("/gone", Reply.status(200).fault(Fault.DISCONNECT_AFTER_REQUEST));
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(listener());
            assertThatThrownBy(() -> client.send(get(server.uri("/gone")), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(PolicyException.class);
        }
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "original")).isEqualTo(1);
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "retry")).isEqualTo(3);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "retry", "rule", "transport", "error.type",
                "connection_lost", "reason", "backoff")).isEqualTo(3);
        assertThat(timer(PolicyMeters.CALLS, "kind", "failed_with_retry", "outcome", "fail",
                "failure.category", "transport", "rule", "transport").count()).isEqualTo(1);
        assertThat(timer(PolicyMeters.WAITS, "basis", "backoff").count()).isEqualTo(3);
    }

    @Test
    void aRefreshedCredentialIsCountedAsRenewed() throws Exception {
        server.on("/private", Reply.status(401).header("WWW-Authenticate", "Bearer error=\"invalid_token\""),
                Reply.ok("yours"));
        AtomicInteger token = new AtomicInteger();
        CredentialSource tokens = CredentialSource.fromSupplier(() -> "Bearer t" + token.incrementAndGet());
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(listener(), tokens);
            assertThat(client.send(get(server.uri("/private")), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(count(PolicyMeters.ATTEMPTS, "attempt.type", "credentials")).isEqualTo(1);
        assertThat(count(PolicyMeters.DECISIONS, "decision", "refresh_credentials", "rule", "401")).isEqualTo(1);
        assertThat(count(PolicyMeters.CREDENTIAL_REFRESHES, "client.name", "billing", "result", "renewed"))
                .isEqualTo(1);
    }

    @Test
    void serverAddressValuesAreBoundedAndNoTagEverCarriesAPath() throws Exception {
        server.on("/secret/path", Reply.ok("a"));
        MicrometerPolicyListener bounded = MicrometerPolicyListener.builder(registry).clientName("billing")
                .maxServerAddresses(1).build();
        { // java.net.http.HttpClient is AutoCloseable only from Java 21
            PolicyHttpClient client = client(bounded);
            client.send(get(server.uri("/secret/path?token=x")), HttpResponse.BodyHandlers.ofString());
            client.send(get(URI.create("http://localhost:" + server.port() + "/secret/path?token=x")),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(count(PolicyMeters.ATTEMPTS, "server.address", "127.0.0.1")).isEqualTo(1);
        assertThat(count(PolicyMeters.ATTEMPTS, "server.address", PolicyMeters.OTHER)).isEqualTo(1);
        for (Meter meter : registry.getMeters()) {
            assertThat(meter.getId().getTags()).extracting(Tag::getValue)
                    .allSatisfy(value -> assertThat(value).doesNotContain("/secret", "token"));
        }
    }

    @Test
    void theBuilderRefusesBadSettingsNamingThem() {
        assertThatThrownBy(() -> MicrometerPolicyListener.builder(registry).clientName(" "))
                .hasMessage("clientName must not be blank");
        assertThatThrownBy(() -> MicrometerPolicyListener.builder(registry).maxServerAddresses(0))
                .hasMessage("maxServerAddresses must be 1 to 10000, was 0");
        assertThatThrownBy(() -> MicrometerPolicyListener.builder(null)).hasMessage("registry");
    }

    @Test
    void aSharedStoreOutageIsCountedOncePerOutage() {
        MicrometerPolicyListener listener = listener();
        listener.storeDegraded(new io.statuspolicy.event.PolicyEvent.StoreDegraded("redis 10.0.0.5:6379", "refused",
                30_000, 0));
        listener.storeRecovered(new io.statuspolicy.event.PolicyEvent.StoreRecovered("redis 10.0.0.5:6379", 30_000,
                30_000));
        listener.storeDegraded(new io.statuspolicy.event.PolicyEvent.StoreDegraded("redis 10.0.0.5:6379", "refused",
                30_000, 40_000));

        assertThat(registry.get(PolicyMeters.STORE_ERRORS).tags("client.name", "billing", "store", "redis 10.0.0.5:6379")
                .counter().count()).isEqualTo(2.0);
    }

    @Test
    void unknownMethodsShareOneTagValue() {
        assertThat(PolicyTagValues.method("GET")).isEqualTo("GET");
        assertThat(PolicyTagValues.method("FROB")).isEqualTo("_OTHER");
        assertThat(PolicyTagValues.method(null)).isEqualTo("_OTHER");
    }
}
