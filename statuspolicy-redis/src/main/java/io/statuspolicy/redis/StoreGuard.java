package io.statuspolicy.redis;

import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import java.time.Clock;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * A tiny breaker on Redis itself: after a failed or late command every store skips Redis for
 * {@code skipMillis} (local state only), then the next command is a trial; a success ends the
 * outage. Reports one {@link PolicyEvent.StoreDegraded} when an outage starts and one
 * {@link PolicyEvent.StoreRecovered} when it ends, so listeners see two events per outage, not
 * one per command. Thread-safe, lock-free on the path of a call.
 */
final class StoreGuard {
    private final String name;
    private final long skipNanos;
    private final PolicyListener listener;
    private final Clock clock;
    private final Runnable onRecovered;
    private final Object lock = new Object();
    private volatile boolean degraded;
    private volatile long skipUntilNanos;
    private long degradedAtNanos;

    StoreGuard(String name, long skipMillis, PolicyListener listener, Clock clock, Runnable onRecovered) {
        this.name = name;
        this.skipNanos = skipMillis * 1_000_000L;
        this.listener = PolicyListener.safe(listener);
        this.clock = clock;
        this.onRecovered = onRecovered;
    }

    /** Whether a command may be sent now: always when healthy; during an outage, once its skip ran out. */
    boolean allows() {
        return !degraded || System.nanoTime() - skipUntilNanos >= 0;
    }

    /** Whether Redis is being skipped. */
    boolean degraded() {
        return degraded;
    }

    /** The store's name in events, e.g. {@code redis 127.0.0.1:6379}. */
    String name() {
        return name;
    }

    void succeeded() {
        if (!degraded) {
            return;
        }
        long degradedFor;
        synchronized (lock) {
            if (!degraded) {
                return;
            }
            degraded = false;
            degradedFor = (System.nanoTime() - degradedAtNanos) / 1_000_000L;
        }
        if (listener != PolicyListener.NONE) {
            listener.storeRecovered(new PolicyEvent.StoreRecovered(name, degradedFor, clock.millis()));
        }
        onRecovered.run();
    }

    void failed(Throwable failure) {
        boolean started = false;
        synchronized (lock) {
            long now = System.nanoTime();
            skipUntilNanos = now + skipNanos;
            if (!degraded) {
                degraded = true;
                degradedAtNanos = now;
                started = true;
            }
        }
        if (started && listener != PolicyListener.NONE) {
            listener.storeDegraded(new PolicyEvent.StoreDegraded(name, describe(failure), skipNanos / 1_000_000L,
                    clock.millis()));
        }
    }

    /** One line for the event: what failed, without a stack trace. */
    static String describe(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException || cause instanceof io.lettuce.core.RedisCommandTimeoutException) {
            return "no answer within the command timeout";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
