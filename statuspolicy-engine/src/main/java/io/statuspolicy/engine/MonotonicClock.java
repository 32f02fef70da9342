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

    MonotonicClock(Instant anchor, LongSupplier ticker) {
        this.anchorMillis = Objects.requireNonNull(anchor, "anchor").toEpochMilli();
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.anchorNanos = ticker.getAsLong();
    }

    /** Anchored at the current UTC time, ticking with {@link System#nanoTime()}. */
    static MonotonicClock system() {
        return new MonotonicClock(Instant.now(), System::nanoTime);
    }

    @Override
    public long millis() {
        return anchorMillis + (ticker.getAsLong() - anchorNanos) / 1_000_000;
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
