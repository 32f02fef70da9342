package io.statuspolicy.engine;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The engine's default clock: UTC read once, then advanced by a monotonic ticker
 * ({@link System#nanoTime()}), so deadlines, waits and retry-budget windows never jump when the
 * wall clock is stepped (an NTP correction, a leap smear, an operator's {@code date -s}). It can
 * drift from the wall clock by the ticker's error over a long uptime, which only matters for
 * HTTP-dates compared without a {@code Date} field, where seconds do not change a decision.
 *
 * <p>Immutable and thread-safe.
 */
final class MonotonicClock extends Clock {
    private final long anchorMillis;
    private final long anchorNanos;
    private final LongSupplier ticker;
    /** Whether the ticker is {@link System#nanoTime()}, the deadline timer's own: see {@link #recentMillis}. */
    private final boolean system;

    MonotonicClock(Instant anchor, LongSupplier ticker) {
        this(anchor, ticker, false);
    }

    private MonotonicClock(Instant anchor, LongSupplier ticker, boolean system) {
        this.anchorMillis = Objects.requireNonNull(anchor, "anchor").toEpochMilli();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.anchorNanos = ticker.getAsLong();
        this.system = system;
    }

    /** Anchored at the current UTC time, ticking with {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return new MonotonicClock(Instant.now(), System::nanoTime, true);
    }

    /** Whether {@link #recentMillis} can read the deadline timer's last tick instead of the ticker. */
    boolean ticksWithTimer() {
        return system;
    }

    /**
     * A reading that may be up to one {@link DeadlineTimer} tick old: the time of the timer's
     * last tick while it runs (one volatile read, where {@link #millis} reads the ticker, which
     * costs a fifth of a call's fast path), else {@link #millis}. Never later than {@link #millis}
     * read after it. For the start of a call nobody listens to (issue 14), whose deadline is
     * reckoned from it plus one tick, so that the call never ends early.
     */
    long recentMillis() {
        if (system) {
            long tick = DeadlineTimer.lastTickNanos();
            if (tick != DeadlineTimer.NO_TICK) {
                return millisAt(tick);
            }
        }
        return millis();
    }

    /** The time this clock gives when its ticker reads {@code tickerNanos}. */
    long millisAt(long tickerNanos) {
        return anchorMillis + (tickerNanos - anchorNanos) / 1_000_000;
    }

    @Override
    public long millis() {
        return millisAt(ticker.getAsLong());
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("the engine's clock is UTC only");
    }

    @Override
    public String toString() {
        return "MonotonicClock[UTC, anchored at " + Instant.ofEpochMilli(anchorMillis) + "]";
    }
}
