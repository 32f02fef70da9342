package io.statuspolicy.benchmarks.storm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Issue 11's figures in B, as assertions on the deterministic simulation (60 s of traffic before
 * each outage): the banked budget keeps a full 20 s outage at or below 1.10x for 50 and for 500
 * clients at the same load, rides out more of a blip than the sliding window did at 50 clients,
 * and the circuit breaker (off by default) never lowers the blip's success share.
 */
class BankedBudgetStormTest {
    private static final StormConfig LONG = StormConfig.DEFAULT.withPhases(60, 30);

    @Test
    void aFullOutageStaysAtOrBelowTenPercentMoreForFewAndForManyClients() {
        for (int clients : new int[] {50, 500}) {
            StormResult ours = new Simulation(LONG.withClients(clients), Outage.hard503(), Strategies.statuspolicy())
                    .run();
            assertThat(ours.phase(1).amplification()).as("%d clients", clients).isLessThanOrEqualTo(1.10);
            assertThat(ours.recoverySeconds()).as("%d clients", clients).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void theBankRescuesMoreOfABlipThanTheSlidingWindowAndTheBreakerTakesNothingAway() {
        StormResult banked = new Simulation(LONG, Outage.blip(), Strategies.statuspolicy()).run();
        StormResult windowed = new Simulation(LONG, Outage.blip(), Strategies.statuspolicyWindowed()).run();
        StormResult breaker = new Simulation(LONG, Outage.blip(), Strategies.statuspolicyWithBreaker(
                io.statuspolicy.policy.RetryBudgetSettings.DEFAULT_CREDIT)).run();
        assertThat(banked.phase(1).rescuedShare()).isGreaterThan(0.9).isGreaterThan(windowed.phase(1).rescuedShare());
        assertThat(breaker.phase(1).successShare()).isGreaterThanOrEqualTo(banked.phase(1).successShare());
    }

    @Test
    void theLatencySpikeStillRecoversInTwoSecondsAndNothingIsSentBeforeRetryAfter() {
        assertThat(new Simulation(LONG, Outage.latencySpike(), Strategies.statuspolicy()).run().recoverySeconds())
                .isLessThanOrEqualTo(2);
        assertThat(new Simulation(LONG, Outage.retryAfter503(), Strategies.statuspolicy()).run().earlyRetries())
                .isZero();
    }
}
