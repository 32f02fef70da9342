package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.HostHold;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The in-memory hold store: later holds win, one probe at a time, a success releases, state is bounded. */
class HoldStoreTest {
    private static final long T = 1_000_000;

    private static HostHold until(long millis) {
        return new HostHold(HostHold.Scope.ORIGIN, 503, millis, false);
    }

    @Test
    void aLaterHoldWinsAndAnEarlierOneIsIgnored() {
        HoldStore store = HoldStore.inMemory(10);
        assertThat(store.isEmpty()).isTrue();
        store.hold("k", until(T + 5_000), T);
        store.hold("k", until(T + 1_000), T);
        assertThat(store.get("k", T).untilMillis()).isEqualTo(T + 5_000);
        store.hold("k", until(T + 9_000), T);
        assertThat(store.get("k", T).untilMillis()).isEqualTo(T + 9_000);
        assertThat(store.get("other", T)).isNull();
    }

    @Test
    void onlyOneProbeAtATimeAndOnlyOnceTheHoldEnded() {
        HoldStore store = HoldStore.inMemory(10);
        store.hold("k", until(T + 1_000), T);
        assertThat(store.claimProbe("k", T + 999)).as("not before the hold ends").isFalse();
        assertThat(store.claimProbe("k", T + 1_000)).isTrue();
        assertThat(store.claimProbe("k", T + 1_001)).as("one probe in flight").isFalse();
        assertThat(store.get("k", T + 1_001).probing()).isTrue();

        CompletableFuture<Void> woken = store.whenProbeEnds("k");
        assertThat(woken).isNotDone();
        store.probeEnded("k", false, T + 1_500);
        assertThat(woken).isDone();
        assertThat(store.get("k", T + 1_500).probing()).as("a failed probe frees the slot").isFalse();

        assertThat(store.claimProbe("k", T + 1_600)).isTrue();
        store.probeEnded("k", true, T + 1_700);
        assertThat(store.get("k", T + 1_700)).as("a successful probe lifts the hold").isNull();
        assertThat(store.isEmpty()).isTrue();
    }

    @Test
    void aProbeThatNeverAnswersLosesItsLease() {
        HoldStore store = HoldStore.inMemory(10);
        store.hold("k", until(T), T);
        assertThat(store.claimProbe("k", T)).isTrue();
        assertThat(store.claimProbe("k", T + HoldStore.PROBE_LEASE_MILLIS - 1)).isFalse();
        assertThat(store.get("k", T + HoldStore.PROBE_LEASE_MILLIS)).as("the hold lapses with the lease").isNull();
    }

    @Test
    void aNewHoldDuringTheProbeStaysAfterTheProbeSucceeds() {
        HoldStore store = HoldStore.inMemory(10);
        store.hold("k", until(T), T);
        assertThat(store.claimProbe("k", T)).isTrue();
        store.hold("k", until(T + 30_000), T + 10); // the probe's own 503 + Retry-After
        store.probeEnded("k", true, T + 10);
        assertThat(store.get("k", T + 10).untilMillis()).isEqualTo(T + 30_000);
    }

    @Test
    void manyKeysStayBoundedAndLapsedOnesAreSweptWithoutAReadScanning() {
        InMemoryHoldStore store = new InMemoryHoldStore(500);
        for (int i = 0; i < 100_000; i++) {
            long now = T + i * 100L;
            store.hold("origin-" + i, until(now + 50), now);
        }
        assertThat(store.keys()).isLessThanOrEqualTo(500);

        InMemoryHoldStore full = new InMemoryHoldStore(3);
        for (int i = 0; i < 5; i++) {
            full.hold("live-" + i, until(T + 60_000), T);
        }
        assertThat(full.keys()).as("beyond the bound a new hold is not kept").isEqualTo(3);
        assertThat(full.get("live-4", T)).isNull();
    }
}
