package io.statuspolicy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class BackoffProperties {

    @Property
    void neverNegativeAndNeverAboveTheCap(@ForAll @IntRange(min = -5, max = 5000) int retry,
            @ForAll @DoubleRange(min = 0, max = 1, maxIncluded = false) double random,
            @ForAll @DoubleRange(min = 1, max = 1000) double multiplier,
            @ForAll @DoubleRange(min = 0, max = 1) double jitter) {
        Backoff backoff = new Backoff(Duration.ofMillis(100), multiplier, Duration.ofSeconds(30), jitter);
        assertThat(backoff.delayMillis(retry, random)).isBetween(0L, 30_000L);
    }
}
