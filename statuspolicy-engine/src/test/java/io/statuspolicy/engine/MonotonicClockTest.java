package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MonotonicClockTest {

    @Test
    void itAdvancesWithTheTickerOnlyFromItsAnchor() {
        AtomicLong nanos = new AtomicLong(5_000_000_000L);
        MonotonicClock clock = new MonotonicClock(Instant.parse("2026-12-01T00:00:00Z"), nanos::get);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));

        nanos.addAndGet(1_500_000_000L);
        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-12-01T00:00:01.500Z"));
        assertThat(clock.millis()).isEqualTo(Instant.parse("2026-12-01T00:00:01.500Z").toEpochMilli());
    }

    @Test
    void aTickerThatWrapsStillMeasuresTheDifference() {
        AtomicLong nanos = new AtomicLong(Long.MAX_VALUE - 1_000_000L);
        MonotonicClock clock = new MonotonicClock(Instant.EPOCH, nanos::get);
        nanos.addAndGet(3_000_000L); // overflows, as System.nanoTime may
        assertThat(clock.millis()).isEqualTo(3);
    }

    @Test
    void itIsUtcOnly() {
        MonotonicClock clock = MonotonicClock.system();
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
        assertThatThrownBy(() -> clock.withZone(ZoneId.of("Europe/Stockholm")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(PolicyEngine.monotonicClock().millis()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
    }
}
