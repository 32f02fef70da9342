package io.statuspolicy.benchmarks.storm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A short run of B, as assertions on its invariants, never on timings: at a full outage our
 * amplification stays within the budget while naive retries triple the load, and no retry of
 * ours leaves before the Retry-After the server gave.
 */
class StormSmokeTest {
    /** 300 requests/s from 20 clients, 5 s before and after, outages of 10 s: under a second each. */
    private static final StormConfig SMALL = StormConfig.DEFAULT.withClients(20).withOffered(300).withPhases(5, 5);

    @Test
    void fullOutageAmplificationIsBoundedByTheBudget() {
        Outage outage = Outage.hard503().withSeconds(10);
        StormResult ours = new Simulation(SMALL, outage, Strategies.statuspolicy()).run();
        StormResult naive = new Simulation(SMALL, outage, Strategies.naive()).run();
        StormResult none = new Simulation(SMALL, outage, Strategies.none()).run();
        StormResult unbudgeted = new Simulation(SMALL, outage, Strategies.statuspolicyWithoutBudget()).run();

        assertThat(ours.phase(1).requests).isGreaterThan(2000);
        assertThat(ours.phase(1).amplification()).isLessThanOrEqualTo(1.15);
        assertThat(naive.phase(1).amplification()).isGreaterThan(2.9).isLessThanOrEqualTo(3.0);
        assertThat(none.phase(1).amplification()).isEqualTo(1.0);
        assertThat(unbudgeted.phase(1).amplification()).isGreaterThan(3.0);
        // Nothing succeeds while every answer is 503.
        assertThat(naive.phase(1).successShare()).isLessThan(0.01);
    }

    @Test
    void oursNeverRetriesBeforeRetryAfter() {
        for (Outage outage : new Outage[] {Outage.retryAfter503().withSeconds(10), Outage.throttle429().withSeconds(10)}) {
            StormResult ours = new Simulation(SMALL, outage, Strategies.statuspolicy()).run();
            StormResult unbudgeted = new Simulation(SMALL, outage, Strategies.statuspolicyWithoutBudget()).run();
            StormResult naive = new Simulation(SMALL, outage, Strategies.naive()).run();

            assertThat(ours.earlyRetries()).as(outage.name()).isZero();
            assertThat(unbudgeted.earlyRetries()).as(outage.name()).isZero();
            // The check can fail: strategies that ignore Retry-After are caught by it.
            assertThat(naive.earlyRetries()).as(outage.name()).isPositive();
        }
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        Outage outage = Outage.blip();
        StormResult first = new Simulation(SMALL, outage, Strategies.statuspolicy()).run();
        StormResult second = new Simulation(SMALL, outage, Strategies.statuspolicy()).run();

        assertThat(second.attemptsPerBucket()).isEqualTo(first.attemptsPerBucket());
        assertThat(second.successesPerBucket()).isEqualTo(first.successesPerBucket());
    }
}
