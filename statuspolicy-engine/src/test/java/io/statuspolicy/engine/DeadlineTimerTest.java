package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    @Test
    void anExpiredDeadlineFiresOnceAndADisarmedOneNever() throws InterruptedException {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger disarmedRuns = new AtomicInteger();
        AtomicInteger firedRuns = new AtomicInteger();

        DeadlineTimer.Entry kept = DeadlineTimer.arm(0, () -> {
            firedRuns.incrementAndGet();
            fired.countDown();
        });
        DeadlineTimer.Entry disarmed = DeadlineTimer.arm(0, disarmedRuns::incrementAndGet);
        disarmed.disarm();

        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(kept.fired()).isTrue();
        // Two ticks later: nothing else has run.
        Thread.sleep(3 * DeadlineTimer.TICK_MILLIS);
        assertThat(firedRuns).hasValue(1);
        assertThat(disarmedRuns).hasValue(0);
        assertThat(disarmed.fired()).isFalse();
        kept.disarm(); // harmless after it fired
    }

    @Test
    void aFailingExpiryDoesNotStopTheOthers() throws InterruptedException {
        CountDownLatch second = new CountDownLatch(1);
        DeadlineTimer.arm(0, () -> {
            throw new IllegalStateException("boom");
        });
        DeadlineTimer.arm(0, second::countDown);

        assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeadlineFarAwayStaysArmedUntilDisarmed() {
        DeadlineTimer.Entry entry = DeadlineTimer.arm(TimeUnit.HOURS.toMillis(1), () -> { });
        assertThat(DeadlineTimer.armed()).isGreaterThanOrEqualTo(1);
        entry.disarm();
        assertThat(entry.fired()).isFalse();
    }
}
