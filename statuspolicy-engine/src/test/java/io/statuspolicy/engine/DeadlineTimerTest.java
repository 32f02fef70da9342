package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTimerTest {

    /** An entry that counts its expiries and can throw. */
    private static final class Counted extends DeadlineTimer.Entry {
        final AtomicInteger expired = new AtomicInteger();
        final CountDownLatch once = new CountDownLatch(1);
        final boolean fail;

        Counted(boolean fail) {
            this.fail = fail;
        }

        @Override
        protected void expire() {
            expired.incrementAndGet();
            once.countDown();
            if (fail) {
                throw new IllegalStateException("boom");
            }
        }
    }

    @Test
    void anExpiredDeadlineFiresOnceAndADisarmedOneNever() throws InterruptedException {
        Counted kept = new Counted(false);
        Counted disarmed = new Counted(false);
        kept.arm(0);
        disarmed.arm(0);
        disarmed.disarm();

        assertThat(kept.once.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(3 * DeadlineTimer.TICK_MILLIS); // three more ticks: nothing else runs
        assertThat(kept.expired).hasValue(1);
        assertThat(disarmed.expired).hasValue(0);
        kept.disarm(); // harmless after it fired
    }

    @Test
    void aFailingExpiryDoesNotStopTheOthers() throws InterruptedException {
        Counted failing = new Counted(true);
        Counted other = new Counted(false);
        failing.arm(0);
        other.arm(0);

        // Both fire, in whatever order the timer took them: one throwing does not stop the other.
        assertThat(other.once.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failing.once.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aDeadlineFarAwayStaysArmedUntilDisarmed() {
        Counted far = new Counted(false);
        far.arm(TimeUnit.HOURS.toMillis(1));
        assertThat(DeadlineTimer.armed()).isGreaterThanOrEqualTo(1);
        far.disarm();
        assertThat(far.expired).hasValue(0);
    }
}
