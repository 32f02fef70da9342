package io.statuspolicy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff with proportional jitter, capped.
 *
 * <p>The n-th retry (n = 1, 2, ...) has the nominal delay
 * {@code d = min(maxDelay, initialDelay × multiplier^(n-1))}: the cap is applied first. Jitter
 * then picks a uniformly random point in the band
 * {@code [d × (1 − jitter), min(maxDelay, d × (1 + jitter))]}. Below the cap that is the full
 * ±jitter band around {@code d}; where {@code d × (1 + jitter)} would pass the cap, the band is
 * cut at {@code maxDelay} and the point is drawn uniformly within what is left, so the delay never
 * exceeds {@code maxDelay} and no single value collects the share that lay above it. (Clamping a
 * spread value instead would put half of all delays at the cap exactly on {@code maxDelay},
 * lining up a fleet's retries during a long outage, which is what jitter is there to prevent;
 * see the AWS architecture blog's "Exponential backoff and jitter".) At the cap the delays are
 * therefore uniform in {@code [maxDelay × (1 − jitter), maxDelay]}.
 *
 * <p>The arithmetic saturates: no number of retries overflows or goes below zero.
 *
 * @param initialDelay the base delay before the first retry; not negative
 * @param multiplier   growth per retry; at least 1
 * @param maxDelay     the largest delay backoff alone produces; at least {@code initialDelay}
 * @param jitter       the spread, 0 (none) to 1 (anywhere from zero to twice the delay, and never
 *                     above {@code maxDelay})
 */
public record Backoff(Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {

    /** 500 ms, doubling, at most 10 s, ±50 %: spreads a fleet's retries without long stalls. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), 2.0, Duration.ofSeconds(10), 0.5);

    /** Validates the fields with messages that name them. */
    public Backoff {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("backoff initialDelay must not be negative, was " + initialDelay);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, was " + multiplier);
        }
        if (maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("backoff maxDelay (" + maxDelay
                    + ") must not be below initialDelay (" + initialDelay + ")");
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("backoff jitter must be between 0 and 1, was " + jitter);
        }
    }

    /** No waiting between retries (useful in tests and benchmarks). */
    public static Backoff none() {
        return new Backoff(Duration.ZERO, 1.0, Duration.ZERO, 0.0);
    }

    /**
     * The delay before retry number {@code retry} (1 for the first retry).
     *
     * @param retry     1 or more; smaller values are treated as 1
     * @param random01  a uniformly distributed number in [0, 1) from the caller's random source
     * @return the delay in milliseconds, between 0 and {@code maxDelay}; at the cap it equals
     *         {@code maxDelay} only for a {@code random01} of 1 or more
     */
    public long delayMillis(int retry, double random01) {
        long cap = maxDelay.toMillis();
        int exponent = Math.max(0, retry - 1);
        // The first two retries need no Math.pow (x^0 and x^1 are exact without it), which costs
        // a tenth of the retry path.
        double growth = exponent == 0 ? 1.0 : exponent == 1 ? multiplier : Math.pow(multiplier, exponent);
        double base = initialDelay.toMillis() * growth;
        double capped = Math.min(base, cap); // Math.pow may give Infinity; min() keeps it finite
        // Cap first, then spread within the band that fits under the cap (see the class Javadoc).
        double low = capped * (1.0 - jitter);
        double high = Math.min(cap, capped * (1.0 + jitter));
        double spread = low + (high - low) * random01;
        return Math.max(0L, Math.min(cap, (long) spread)); // the min() only guards a random01 of 1 or more
    }

    public Backoff withInitialDelay(Duration value) {
        return new Backoff(value, multiplier, maxDelay.compareTo(value) < 0 ? value : maxDelay, jitter);
    }

    public Backoff withMultiplier(double value) {
        return new Backoff(initialDelay, value, maxDelay, jitter);
    }

    public Backoff withMaxDelay(Duration value) {
        return new Backoff(initialDelay, multiplier, value, jitter);
    }

    public Backoff withJitter(double value) {
        return new Backoff(initialDelay, multiplier, maxDelay, value);
    }
}
