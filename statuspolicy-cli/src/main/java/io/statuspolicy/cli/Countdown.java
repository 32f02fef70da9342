package io.statuspolicy.cli;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.HttpStatus;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * On a terminal, a live countdown on standard error during a wait longer than a second:
 * {@code 503 Service Unavailable: retrying in 12 s, attempt 2 of 4}, rewritten in place each
 * second and erased when the next request starts. Only created when there is a terminal, so
 * scripts and logs get no progress noise.
 */
final class Countdown implements PolicyListener {
    private static final long SHOWN_ABOVE_MILLIS = 1000;

    private final PrintStream err;
    private final LongSupplier nanoTime;
    private ScheduledExecutorService ticker;
    private ScheduledFuture<?> current;
    private String shown = "";

    Countdown(PrintStream err) {
        this(err, System::nanoTime);
    }

    Countdown(PrintStream err, LongSupplier nanoTime) {
        this.err = err;
        this.nanoTime = nanoTime;
    }

    @Override
    public synchronized void waiting(PolicyEvent.Waiting event) {
        if (event.delayMillis() <= SHOWN_ABOVE_MILLIS) {
            return;
        }
        stop();
        if (ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "statuspolicy-countdown");
                thread.setDaemon(true);
                return thread;
            });
        }
        long endNanos = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(event.delayMillis());
        Decision decision = event.decision();
        current = ticker.scheduleAtFixedRate(() -> show(decision, endNanos), 0, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void attemptStarted(PolicyEvent.AttemptStarted event) {
        stop();
    }

    @Override
    public synchronized void callFinished(PolicyEvent.CallFinished event) {
        stop();
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    private synchronized void show(Decision decision, long endNanos) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(endNanos - nanoTime.getAsLong());
        String text = text(decision, leftMillis);
        if (leftMillis > 0 && !text.equals(shown)) {
            shown = text;
            err.print("\r\033[K" + text);
            err.flush();
        }
    }

    private void stop() {
        if (current != null) {
            current.cancel(false);
            current = null;
            shown = "";
            err.print("\r\033[K"); // erase the countdown line
            err.flush();
        }
    }

    /** "503 Service Unavailable: retrying in 12 s, attempt 2 of 4", whole seconds rounded up. */
    static String text(Decision decision, long leftMillis) {
        long seconds = (leftMillis + 999) / 1000;
        String subject = decision.status() == 0 ? "no response" : HttpStatus.describe(decision.status());
        if (decision instanceof Decision.Retry retry) {
            if (retry.maxAttempts() == 0) {
                return subject + ": awaiting the resource, trying again in " + seconds + " s, attempt "
                        + retry.attempt();
            }
            return subject + ": retrying in " + seconds + " s, attempt " + retry.attempt() + " of "
                    + retry.maxAttempts();
        }
        if (decision instanceof Decision.FollowRedirect) {
            return subject + ": following the redirect in " + seconds + " s, as Retry-After asks";
        }
        return subject + ": waiting " + seconds + " s";
    }
}
