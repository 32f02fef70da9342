package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link FakeClock} and {@link FakeSleeper}. */
class FakeTimeTest {

    @Test
    void aClockStartsAt2026InUtcAndMovesOnlyWhenAdvanced() {
        FakeClock clock = new FakeClock();

        assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
        assertThat(clock.millis()).isEqualTo(1_767_225_600_000L);
        assertThat(clock.advance(Duration.ofMillis(1500))).isEqualTo(Instant.parse("2026-01-01T00:00:01.500Z"));
        assertThat(clock.millis()).isEqualTo(1_767_225_601_500L);
        assertThat(new FakeClock(Instant.EPOCH).millis()).isZero();
    }

    @Test
    void aClockNeverGoesBack() {
        FakeClock clock = new FakeClock();

        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START);
    }

    @Test
    void aZonedViewFollowsTheSameTime() {
        FakeClock clock = new FakeClock();
        Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));

        clock.advance(Duration.ofHours(1));

        assertThat(paris.instant()).isEqualTo(clock.instant());
        assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    @Test
    void sleepAndDelayMoveTheClockAtOnceAndAreRecorded() throws Exception {
        FakeClock clock = new FakeClock();
        FakeSleeper sleeper = new FakeSleeper(clock);

        long start = System.nanoTime();
        sleeper.sleep(Duration.ofSeconds(30));
        CompletableFuture<Void> delay = sleeper.delay(Duration.ofMillis(500));
        sleeper.sleep(Duration.ZERO);
        sleeper.sleep(Duration.ofSeconds(-2));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        assertThat(delay).isCompleted();
        assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(30), Duration.ofMillis(500), Duration.ZERO,
                Duration.ofSeconds(-2));
        assertThat(sleeper.total()).isEqualTo(Duration.ofMillis(30_500));
        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START.plusMillis(30_500));
    }

    @Test
    void sleepOnAnInterruptedThreadThrowsAtOnceAndClearsTheFlagLikeThreadSleep() {
        FakeClock clock = new FakeClock();
        FakeSleeper sleeper = new FakeSleeper(clock);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> sleeper.sleep(Duration.ofSeconds(5))).isInstanceOf(InterruptedException.class);

        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(sleeper.sleeps()).isEmpty();
        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START);
    }

    @Test
    void concurrentSleepsAreAllCountedAndMoveTheClockExactly() throws Exception {
        FakeClock clock = new FakeClock();
        FakeSleeper sleeper = new FakeSleeper(clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1000; i++) {
                        if (i % 2 == 0) {
                            sleeper.sleep(Duration.ofMillis(1));
                        } else {
                            sleeper.delay(Duration.ofMillis(1));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(sleeper.sleeps()).hasSize(4000);
        assertThat(sleeper.total()).isEqualTo(Duration.ofSeconds(4));
        assertThat(clock.instant()).isEqualTo(FakeClock.DEFAULT_START.plusSeconds(4));
    }
}
