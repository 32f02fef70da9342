package io.statuspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class BackoffProperties {
    private static final int SAMPLES = 4000;

    @Property
    void neverNegativeAndNeverAboveTheCap(@ForAll @IntRange(min = -5, max = 5000) int retry,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random,
            @ForAll @DoubleRange(min = 1, max = 1000) double multiplier,
            @ForAll @DoubleRange(min = 0, max = 1) double jitter) {
        Backoff backoff = new Backoff(Duration.ofMillis(100), multiplier, Duration.ofSeconds(30), jitter);
        assertThat(backoff.delayMillis(retry, random)).isBetween(0L, 30_000L);
    }

    /**
     * Review finding 10: spreading and then clamping put half of all delays at the cap exactly on
     * {@code maxDelay}. At the cap the delays must be spread over
     * {@code [maxDelay × (1 − jitter), maxDelay]}: none pile up on the cap, both ends of the band
     * are reached and the mean sits in its middle.
     */
    @Property(tries = 200)
    void atTheCapDelaysSpreadEvenlyBelowMaxDelayInsteadOfPilingUpOnIt(
            @ForAll @IntRange(min = 40, max = 5000) int retry,
            @ForAll @DoubleRange(min = 1.5, max = 4) double multiplier,
            @ForAll @LongRange(min = 2_000, max = 3_600_000) long maxMillis,
            @ForAll @DoubleRange(min = 0.1, max = 1) double jitter,
            @ForAll long seed) {
        Backoff backoff = new Backoff(Duration.ofMillis(100), multiplier, Duration.ofMillis(maxMillis), jitter);
        SplittableRandom random = new SplittableRandom(seed);
        double low = maxMillis * (1 - jitter);
        double width = maxMillis - low;
        long atCap = 0;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        double sum = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long delay = backoff.delayMillis(retry, random.nextDouble());
            atCap += delay == maxMillis ? 1 : 0;
            min = Math.min(min, delay);
            max = Math.max(max, delay);
            sum += delay;
        }
        assertThat((double) atCap / SAMPLES).as("share of delays exactly at maxDelay").isLessThanOrEqualTo(0.01);
        assertThat(min).as("lowest delay").isGreaterThanOrEqualTo((long) Math.floor(low))
                .isLessThanOrEqualTo((long) (low + 0.05 * width));
        assertThat(max).as("highest delay").isLessThanOrEqualTo(maxMillis)
                .isGreaterThanOrEqualTo((long) (maxMillis - 0.05 * width));
        assertThat(sum / SAMPLES).as("mean delay").isBetween(low + 0.45 * width - 1, low + 0.55 * width);
    }

    /** Just below the cap the band is cut at {@code maxDelay}, and the cap still collects nothing. */
    @Property(tries = 200)
    void whereTheBandReachesTheCapItIsCutNotClamped(
            @ForAll @DoubleRange(min = 0.55, max = 0.95) double nominalShareOfCap,
            @ForAll @DoubleRange(min = 0.2, max = 1) double jitter,
            @ForAll long seed) {
        long maxMillis = 60_000;
        long nominal = (long) (maxMillis * nominalShareOfCap);
        Backoff backoff = new Backoff(Duration.ofMillis(nominal), 2.0, Duration.ofMillis(maxMillis), jitter);
        SplittableRandom random = new SplittableRandom(seed);
        long atCap = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long delay = backoff.delayMillis(1, random.nextDouble());
            assertThat(delay).isBetween((long) Math.floor(nominal * (1 - jitter)), maxMillis);
            atCap += delay == maxMillis ? 1 : 0;
        }
        assertThat((double) atCap / SAMPLES).as("share of delays exactly at maxDelay").isLessThanOrEqualTo(0.01);
    }
}
