package io.statuspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void growsExponentiallyUpToTheCap() {
        Backoff exact = Backoff.DEFAULT.withJitter(0);
        assertThat(exact.delayMillis(1, 0.7)).isEqualTo(500);
        assertThat(exact.delayMillis(2, 0.7)).isEqualTo(1000);
        assertThat(exact.delayMillis(3, 0.7)).isEqualTo(2000);
        assertThat(exact.delayMillis(5, 0.7)).isEqualTo(8000);
        assertThat(exact.delayMillis(6, 0.7)).isEqualTo(10_000);
        assertThat(exact.delayMillis(Integer.MAX_VALUE, 0.7)).isEqualTo(10_000);
    }

    @Test
    void jitterSpreadsDelaysAcrossTheWholeBandWithASeededSource() {
        SplittableRandom random = new SplittableRandom(7);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 10_000; i++) {
            long delay = Backoff.DEFAULT.delayMillis(2, random.nextDouble());
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isBetween(500L, 520L);
        assertThat(max).isBetween(1480L, 1500L);
    }

    @Test
    void atTheCapTheDefaultSpreadsOverTheUpperHalfAndNeverLandsOnTheCapItself() {
        // Review probe P10: Backoff.DEFAULT at retry 8 gave exactly 10 000 ms for 50 % of the draws.
        SplittableRandom random = new SplittableRandom(10);
        int atCap = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 100_000; i++) {
            long delay = Backoff.DEFAULT.delayMillis(8, random.nextDouble());
            atCap += delay == 10_000 ? 1 : 0;
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(atCap).isLessThan(1_000);
        assertThat(min).isBetween(5_000L, 5_010L);
        assertThat(max).isBetween(9_990L, 10_000L);
        assertThat(Backoff.DEFAULT.delayMillis(8, 0.5)).isEqualTo(7_500);
        assertThat(Backoff.DEFAULT.delayMillis(8, 1.0)).as("a random01 of 1 is held at the cap").isEqualTo(10_000);
    }

    @Test
    void aBandThatReachesTheCapIsCutThere() {
        // Nominal 8 s with ±50 %: [4 s, 12 s] cut to [4 s, 10 s], drawn uniformly.
        Backoff backoff = Backoff.DEFAULT;
        assertThat(backoff.delayMillis(5, 0.0)).isEqualTo(4_000);
        assertThat(backoff.delayMillis(5, 0.5)).isEqualTo(7_000);
        assertThat(backoff.delayMillis(5, 0.999_9)).isEqualTo(9_999);
    }

    @Test
    void invalidSettingsNameTheField() {
        assertThatThrownBy(() -> Backoff.DEFAULT.withMultiplier(0.5)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> Backoff.DEFAULT.withJitter(2)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> Backoff.DEFAULT.withMaxDelay(Duration.ofMillis(1))).hasMessageContaining("maxDelay");
        assertThatThrownBy(() -> Backoff.DEFAULT.withInitialDelay(Duration.ofMillis(-1)))
                .hasMessageContaining("initialDelay");
    }
}
