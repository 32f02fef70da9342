package io.statuspolicy.time;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How an executor waits between attempts: blocking for synchronous calls, without holding a
 * thread for asynchronous ones. Injected, so tests can pair it with a fake clock and never wait
 * in real time.
 */
public interface Sleeper {

    /**
     * Blocks the calling thread for {@code duration}.
     *
     * @throws InterruptedException if the thread is interrupted while waiting; implementations
     *                              return at once when that happens
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * A future that completes after {@code duration}, without blocking any thread meanwhile.
     * Cancelling the future abandons the wait.
     */
    CompletableFuture<Void> delay(Duration duration);

    /** Real time: {@link Thread#sleep} and the JDK's shared delay scheduler (a daemon thread). */
    static Sleeper system() {
        return SystemSleeper.INSTANCE;
    }

    /** The real sleeper. */
    enum SystemSleeper implements Sleeper {
        INSTANCE;

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                TimeUnit.NANOSECONDS.sleep(duration.toNanos());
            } else if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before a zero-length wait");
            }
        }

        @Override
        public CompletableFuture<Void> delay(Duration duration) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            if (duration.isNegative() || duration.isZero()) {
                done.complete(null);
                return done;
            }
            CompletableFuture.delayedExecutor(duration.toNanos(), TimeUnit.NANOSECONDS).execute(() -> done.complete(null));
            return done;
        }
    }
}
