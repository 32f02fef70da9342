package io.statuspolicy.benchmarks.stub;

import io.statuspolicy.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

/**
 * A clock and a sleeper in one that only moves when told, in microseconds. Waits advance it at
 * once. Unlike {@code statuspolicy-testing}'s {@code FakeSleeper} it records nothing, so a
 * benchmark that waits millions of times does not grow the heap (and does not time the growth).
 *
 * <p>Not thread-safe: one benchmark thread or one simulation drives it.
 */
public final class VirtualTime extends Clock implements Sleeper {
    /** 2026-01-01T00:00:00Z, in microseconds. */
    public static final long DEFAULT_START_MICROS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() * 1000;

    private long nowMicros;

    public VirtualTime() {
        this(DEFAULT_START_MICROS);
    }

    public VirtualTime(long startMicros) {
        this.nowMicros = startMicros;
    }

    public long nowMicros() {
        return nowMicros;
    }

    /** Moves to {@code micros}; never backwards. */
    public void advanceTo(long micros) {
        if (micros < nowMicros) {
            throw new IllegalArgumentException("virtual time never goes back: " + micros + " < " + nowMicros);
        }
        nowMicros = micros;
    }

    public void advanceMillis(long millis) {
        if (millis > 0) {
            nowMicros += millis * 1000;
        }
    }

    @Override
    public long millis() {
        return Math.floorDiv(nowMicros, 1000);
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
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("VirtualTime is UTC only");
        }
        return this;
    }

    @Override
    public void sleep(Duration duration) {
        advanceMillis(duration.toMillis());
    }

    @Override
    public CompletableFuture<Void> delay(Duration duration) {
        advanceMillis(duration.toMillis());
        return CompletableFuture.completedFuture(null);
    }
}
