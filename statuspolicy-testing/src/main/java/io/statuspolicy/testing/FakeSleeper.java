package io.statuspolicy.testing;

import io.statuspolicy.time.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Sleeper} that never waits: each wait moves its {@link FakeClock} forward by the
 * duration at once and is recorded, so a test can run a whole retry schedule in no real time
 * and then check every wait. Thread-safe.
 *
 * <p>Like {@link Sleeper#system()}: a zero or negative duration does not move the clock (it is
 * still recorded as asked), and {@link #sleep} on an interrupted thread throws
 * {@link InterruptedException} at once, clearing the interrupt flag as {@link Thread#sleep} does,
 * and records nothing.
 */
public final class FakeSleeper implements Sleeper {

    private final FakeClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    /** A sleeper that moves {@code clock}. */
    public FakeSleeper(FakeClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before a fake sleep of " + duration);
        }
        pass(duration);
    }

    /** Moves the clock and returns a future that is already complete. */
    @Override
    public CompletableFuture<Void> delay(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        pass(duration);
        return CompletableFuture.completedFuture(null);
    }

    /** Every wait asked for so far, in order, {@link #sleep} and {@link #delay} alike. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    /** How far the waits moved the clock: the sum of the positive ones. */
    public synchronized Duration total() {
        return sleeps.stream().filter(d -> !d.isNegative()).reduce(Duration.ZERO, Duration::plus);
    }

    /** The clock this sleeper moves. */
    public FakeClock clock() {
        return clock;
    }

    private synchronized void pass(Duration duration) {
        sleeps.add(duration);
        if (!duration.isNegative() && !duration.isZero()) {
            clock.advance(duration);
        }
    }

    @Override
    public synchronized String toString() {
        return "FakeSleeper[" + sleeps.size() + " waits, " + total() + "]";
    }
}
