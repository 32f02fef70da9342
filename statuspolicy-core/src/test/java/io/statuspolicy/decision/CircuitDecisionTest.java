package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.CircuitBreakerSettings;
import io.statuspolicy.policy.Policy;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The circuit breaker's transitions (issue 11), decided by the policy and explained. */
class CircuitDecisionTest {
    private static final RequestFacts GET = Fixture.get("https://a.test/r");
    private static final Policy ON = Policy.guideline().withLimits(l -> l.withCircuitBreaker(
            new CircuitBreakerSettings(true, 3, Duration.ofSeconds(5))));
    private static final Decision EXHAUSTED = new Decision.Fail(Policy.guideline().rule(503), 503,
            FailureReason.ATTEMPTS_EXHAUSTED, "4 of 4 attempts", null);
    private static final Decision OK = new Decision.Complete(Policy.guideline().rule(200), 200);

    @Test
    void whatCountsAsAFailure() {
        assertThat(Decider.failedForCircuit(EXHAUSTED)).isTrue();
        assertThat(Decider.failedForCircuit(new Decision.Fail(Policy.guideline().rule(503), 503,
                FailureReason.RETRY_BUDGET_EXHAUSTED, null, null))).isTrue();
        assertThat(Decider.failedForCircuit(new Decision.Fail(Policy.guideline().transportFailureRule(), 0,
                FailureReason.TRANSPORT_RETRIES_EXHAUSTED, null,
                new TransportFailure(TransportFailure.Kind.CONNECT_TIMEOUT, "refused")))).isTrue();
        assertThat(Decider.failedForCircuit(new Decision.Complete(Policy.guideline().rule(501), 501)))
                .as("a 5xx returned").isTrue();
        assertThat(Decider.failedForCircuit(new Decision.Fail(Policy.guideline().rule(404), 404,
                FailureReason.NOT_AWAITED, null, null))).as("a 4xx is the caller's, not the origin's failure").isFalse();
        assertThat(Decider.failedForCircuit(new Decision.Fail(Policy.guideline().rule(503), 503,
                FailureReason.CIRCUIT_OPEN, null, null))).as("our own refusal").isFalse();
        assertThat(Decider.failedForCircuit(new Decision.Fail(Policy.guideline().rule(503), 503,
                FailureReason.HOST_HELD, null, null))).isFalse();
        assertThat(Decider.failedForCircuit(OK)).isFalse();
    }

    @Test
    void opensAfterTheFailuresInARowFailsFastProbesOnceAndCloses() {
        Fixture f = new Fixture(ON);
        AttemptState state = f.decider.start(GET);
        Circuit c = null;
        for (int i = 0; i < 2; i++) {
            c = f.decider.circuitAfter(GET, c, EXHAUSTED, false);
            assertThat(c.state()).isEqualTo(CircuitState.CLOSED);
        }
        assertThat(f.decider.circuitAfter(GET, c, OK, false)).as("a success clears the count").isNull();
        Circuit opened = f.decider.circuitAfter(GET, c, EXHAUSTED, false);
        assertThat(opened.state()).isEqualTo(CircuitState.OPEN);
        assertThat(opened.openUntilMillis()).isEqualTo(Fixture.NOW + 5_000);
        assertThat(f.decider.explainCircuit(GET, c, opened)).isEqualTo("503 Service Unavailable: the guideline says "
                + "retry (shall); circuit opened for 5 s after 3 failed calls in a row");

        HostCheck refused = f.decider.beforeAttempt(GET, state, null, opened);
        assertThat(refused).isInstanceOf(HostCheck.Refuse.class);
        assertThat(refused.explain()).isEqualTo("503 Service Unavailable: the guideline says retry (shall); not sent: "
                + "the circuit breaker for this origin is open after sustained failure (open 5 s more, after 3 "
                + "failed calls in a row)");

        f.clock.advance(5_000);
        assertThat(f.decider.beforeAttempt(GET, state, null, opened)).isInstanceOf(HostCheck.Probe.class);
        Circuit half = opened.halfOpen(f.clock.millis());
        assertThat(f.decider.beforeAttempt(GET, state, null, half)).as("the others, while the probe is in flight")
                .isInstanceOf(HostCheck.Refuse.class);
        assertThat(f.decider.circuitAfter(GET, half, EXHAUSTED, false)).as("not the probe: no change").isEqualTo(half);

        Circuit again = f.decider.circuitAfter(GET, half, EXHAUSTED, true);
        assertThat(again.state()).isEqualTo(CircuitState.OPEN);
        assertThat(again.openUntilMillis()).isEqualTo(f.clock.millis() + 5_000);
        assertThat(f.decider.circuitAfter(GET, half, OK, true)).as("the probe's success closes it").isNull();
        assertThat(f.decider.explainCircuit(GET, half, null)).endsWith("circuit closed: the probe succeeded");
    }

    @Test
    void offByDefaultAndAProbeThatNeverAnswersIsReplaced() {
        Fixture off = new Fixture();
        Circuit open = new Circuit(CircuitState.OPEN, 5, Fixture.NOW + 5_000, 503, Fixture.NOW);
        assertThat(off.decider.beforeAttempt(GET, off.decider.start(GET), null, open))
                .isInstanceOf(HostCheck.Proceed.class);

        Fixture f = new Fixture(ON);
        Circuit half = new Circuit(CircuitState.HALF_OPEN, 3, Fixture.NOW, 503, Fixture.NOW);
        f.clock.advance(Decider.PROBE_LEASE_MILLIS);
        assertThat(f.decider.beforeAttempt(GET, f.decider.start(GET), null, half)).isInstanceOf(HostCheck.Probe.class);
    }

    /** Over any sequence of outcomes: the circuit opens only after the threshold in a row, and a closed one never refuses. */
    @Property(tries = 500)
    void opensOnlyAfterTheThresholdInARow(@ForAll("outcomes") List<Boolean> failures) {
        Fixture f = new Fixture(ON);
        Circuit c = null;
        int inARow = 0;
        for (boolean failed : failures) {
            if (c != null && c.state() == CircuitState.OPEN) {
                break;
            }
            inARow = failed ? inARow + 1 : 0;
            c = f.decider.circuitAfter(GET, c, failed ? EXHAUSTED : OK, false);
            assertThat(c != null && c.state() == CircuitState.OPEN).isEqualTo(inARow >= 3);
            if (c == null || c.state() == CircuitState.CLOSED) {
                assertThat(f.decider.beforeAttempt(GET, f.decider.start(GET), null, c))
                        .isInstanceOf(HostCheck.Proceed.class);
            }
        }
    }

    @Provide
    Arbitrary<List<Boolean>> outcomes() {
        return Arbitraries.of(true, false).list().ofMaxSize(30);
    }
}
