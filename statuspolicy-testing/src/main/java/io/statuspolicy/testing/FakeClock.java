package io.statuspolicy.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told: {@link #advance(Duration)}, directly or through a
 * {@link FakeSleeper}. UTC. Thread-safe. Starts at {@link #DEFAULT_START} unless given another
 * instant.
 */
public final class FakeClock extends Clock {

    /** Where a {@code new FakeClock()} starts: 2026-01-01T00:00:00Z. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now;

    /** A clock at {@link #DEFAULT_START}. */
    public FakeClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public FakeClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /**
     * Moves the clock forward by {@code duration} and returns the new time.
     *
     * @throws IllegalArgumentException if {@code duration} is negative: this clock never goes back
     */
    public synchronized Instant advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("FakeClock.advance(" + duration + "): the clock never goes back");
        }
        now = now.plus(duration);
        return now;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** A view of this clock in another zone: same instant, moved by the same {@link #advance}. */
    @Override
    public Clock withZone(ZoneId zone) {
        Objects.requireNonNull(zone, "zone");
        return zone.equals(ZoneOffset.UTC) ? this : new ZonedView(this, zone);
    }

    @Override
    public String toString() {
        return "FakeClock[" + instant() + "]";
    }

    /** {@link #withZone}: time from the fake clock, another zone. */
    private static final class ZonedView extends Clock {
        private final FakeClock clock;
        private final ZoneId zone;

        ZonedView(FakeClock clock, ZoneId zone) {
            this.clock = clock;
            this.zone = zone;
        }

        @Override
        public Instant instant() {
            return clock.instant();
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId other) {
            return clock.withZone(other);
        }

        @Override
        public String toString() {
            return "FakeClock[" + instant() + ", " + zone + "]";
        }
    }
}
