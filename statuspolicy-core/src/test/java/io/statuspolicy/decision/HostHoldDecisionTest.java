package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.Handling;
import io.statuspolicy.policy.Policy;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The pure parts of host holds (issue 11): which responses make a hold, and what a hold means before an attempt. */
class HostHoldDecisionTest {
    private static final RequestFacts GET = Fixture.get("https://a.test/r");

    @Test
    void a503WithRetryAfterHoldsTheOriginAndA429ThePrincipal() {
        Fixture f = new Fixture();
        HostHold unavailable = f.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "30"));
        HostHold limited = f.decider.holdAfter(GET, TestResponse.status(429).header("Retry-After", "2"));

        assertThat(unavailable).isEqualTo(new HostHold(HostHold.Scope.ORIGIN, 503, Fixture.NOW + 30_000, false));
        assertThat(limited).isEqualTo(new HostHold(HostHold.Scope.PRINCIPAL, 429, Fixture.NOW + 2_000, false));
    }

    @Test
    void theHoldAfterADecidedRetryIsTheHoldReadFromTheResponse() {
        Fixture f = new Fixture();
        for (TestResponse response : java.util.List.of(TestResponse.status(503).header("Retry-After", "30"),
                TestResponse.status(429).header("Retry-After", "2"), TestResponse.status(503),
                TestResponse.status(503).header("Retry-After", "soon"),
                TestResponse.status(503).header("Retry-After", "86400"))) {
            Decision decided = f.decider.decide(GET, response, f.decider.start(GET));
            assertThat(f.decider.holdAfter(GET, response, decided)).as("%d %s", response.status(), response.headerValues("Retry-After"))
                    .isEqualTo(f.decider.holdAfter(GET, response));
        }
        // A Retry-After the decision read is not read again: the decision's own value is used.
        Decision.Retry thirtySeconds = (Decision.Retry) f.decider.decide(GET,
                TestResponse.status(503).header("Retry-After", "30"), f.decider.start(GET));
        assertThat(f.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "5"), thirtySeconds)
                .untilMillis()).isEqualTo(Fixture.NOW + 30_000);
    }

    @Test
    void noHoldWithoutRetryAfterFor413OrWhenTurnedOff() {
        Fixture f = new Fixture();
        assertThat(f.decider.holdAfter(GET, TestResponse.status(503))).isNull();
        assertThat(f.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "soon"))).isNull();
        assertThat(f.decider.holdAfter(GET, TestResponse.status(413).header("Retry-After", "30")))
                .as("a 413's Retry-After is for that call only").isNull();
        assertThat(f.decider.holdAfter(GET, TestResponse.status(500).header("Retry-After", "30"))).isNull();
        Fixture off = new Fixture(Policy.guideline().withLimits(l -> l.withHostHolds(false)));
        assertThat(off.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "30"))).isNull();
        Fixture notRetried = new Fixture(Policy.guideline().withRule(503,
                r -> r.withHandling(Handling.FAIL)));
        assertThat(notRetried.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "30")))
                .as("a 503 the policy does not retry holds nothing").isNull();
    }

    @Test
    void theRetryAfterCapAppliesToHolds() {
        Fixture f = new Fixture();
        HostHold hold = f.decider.holdAfter(GET, TestResponse.status(503).header("Retry-After", "86400"));
        assertThat(hold.untilMillis()).isEqualTo(Fixture.NOW + 60_000);
    }

    @Test
    void aHeldOriginWaitsWhenTheHoldEndsInsideTheDeadlineAndFailsAtOnceOtherwise() {
        Fixture f = new Fixture();
        AttemptState state = f.decider.start(GET); // 2 min deadline
        HostHold hold = new HostHold(HostHold.Scope.ORIGIN, 503, Fixture.NOW + 30_000, false);

        HostCheck wait = f.decider.beforeAttempt(GET, state, hold);
        assertThat(wait).isEqualTo(new HostCheck.Wait(Policy.guideline().rule(503), hold, 30_000));
        assertThat(wait.explain()).isEqualTo("503 Service Unavailable: the guideline says retry (shall); the origin "
                + "is held by an earlier Retry-After: waiting 30 s before this attempt");

        AttemptState short10 = f.decider.start(GET.withDeadline(Duration.ofSeconds(10)));
        HostCheck refused = f.decider.beforeAttempt(GET, short10, hold);
        assertThat(refused).isInstanceOf(HostCheck.Refuse.class);
        Decision.Fail fail = ((HostCheck.Refuse) refused).decision();
        assertThat(fail.reason()).isEqualTo(FailureReason.HOST_HELD);
        assertThat(fail.category()).isEqualTo(FailureCategory.EXHAUSTED);
        assertThat(fail.explain()).isEqualTo("503 Service Unavailable: the guideline says retry (shall); not sent: "
                + "an earlier Retry-After holds the origin for longer than the time left (the origin held 30 s "
                + "more, 10 s left before the deadline)");
    }

    @Test
    void afterTheHoldOneProbeGoesAndTheOthersAwaitIt() {
        Fixture f = new Fixture();
        AttemptState state = f.decider.start(GET);
        HostHold ended = new HostHold(HostHold.Scope.PRINCIPAL, 429, Fixture.NOW, false);

        assertThat(f.decider.beforeAttempt(GET, state, ended)).isInstanceOf(HostCheck.Probe.class);
        HostCheck await = f.decider.beforeAttempt(GET, state, ended.withProbing(true));
        assertThat(await).isEqualTo(new HostCheck.AwaitProbe(Policy.guideline().rule(429), ended.withProbing(true),
                120_000));
        assertThat(f.decider.beforeAttempt(GET, state, null)).isInstanceOf(HostCheck.Proceed.class);
    }

    /** Whatever the hold and the time left: a wait is positive, within the cap and ends before the deadline. */
    @Property(tries = 2000)
    void aHoldNeverWaitsPastTheDeadlineOrTheCap(@ForAll @LongRange(min = -200_000, max = 10_000_000) long heldFor,
            @ForAll @LongRange(min = 1, max = 600_000) long deadline, @ForAll boolean probing) {
        Fixture f = new Fixture();
        RequestFacts request = GET.withDeadline(Duration.ofMillis(deadline));
        AttemptState state = f.decider.start(request);
        HostHold hold = new HostHold(HostHold.Scope.ORIGIN, 503, Fixture.NOW + heldFor, probing);

        HostCheck check = f.decider.beforeAttempt(request, state, hold);

        long held = Math.min(heldFor, 60_000);
        if (check instanceof HostCheck.Wait wait) {
            assertThat(wait.delayMillis()).isPositive().isEqualTo(held).isLessThan(deadline);
        } else if (check instanceof HostCheck.Refuse refuse) {
            assertThat(refuse.decision().reason()).isEqualTo(FailureReason.HOST_HELD);
            assertThat(held).isGreaterThanOrEqualTo(deadline);
        } else {
            assertThat(held).isNotPositive();
            assertThat(check).isInstanceOf(probing ? HostCheck.AwaitProbe.class : HostCheck.Probe.class);
        }
    }
}
