package io.statuspolicy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-host retry budget: over a sliding window, retries to a host may be at most
 * {@code minRetries + ratio × requests} (first attempts counted as requests).
 *
 * <p>Why: when a host is fully down, every call fails and per-call attempt limits multiply the
 * traffic sent to it by the attempt count (4× with the default of 4 attempts), just when it can
 * least take it. A budget caps the extra load at about {@code ratio}: with the default 10 %, a
 * full outage sends about 1.1× the normal traffic. The floor of 3 retries per 10 s keeps
 * retries working for a caller that makes few calls (a command-line run, a nightly job), whose
 * retries cannot hurt a server anyway. The idea is the same as Finagle's and Envoy's retry
 * budgets; the numbers are ours.
 *
 * @param enabled    {@code false} turns the budget off (retries limited only by attempts)
 * @param ratio      the share of requests that may be retried, 0 to 1000 (0.1 = 10 %)
 * @param minRetries retries always allowed per window, whatever the traffic; not negative
 * @param window     the sliding window; 1 s to 1 h
 */
public record RetryBudgetSettings(boolean enabled, double ratio, int minRetries, Duration window) {

    /** On: 10 % of requests, at least 3 retries per 10 s window. */
    public static final RetryBudgetSettings DEFAULT =
            new RetryBudgetSettings(true, 0.1, 3, Duration.ofSeconds(10));

    /** Off: only the attempt limit bounds retries. */
    public static final RetryBudgetSettings OFF =
            new RetryBudgetSettings(false, 0.1, 3, Duration.ofSeconds(10));

    /** Validates the fields with messages that name them. */
    public RetryBudgetSettings {
        Objects.requireNonNull(window, "window");
        if (!(ratio >= 0.0 && ratio <= 1000.0)) {
            throw new IllegalArgumentException("retry budget ratio must be between 0 and 1000, was " + ratio);
        }
        if (minRetries < 0) {
            throw new IllegalArgumentException("retry budget minRetries must not be negative, was " + minRetries);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("retry budget window must be between 1 s and 1 h, was " + window);
        }
    }

    public RetryBudgetSettings withEnabled(boolean value) {
        return new RetryBudgetSettings(value, ratio, minRetries, window);
    }

    public RetryBudgetSettings withRatio(double value) {
        return new RetryBudgetSettings(enabled, value, minRetries, window);
    }

    public RetryBudgetSettings withMinRetries(int value) {
        return new RetryBudgetSettings(enabled, ratio, value, window);
    }

    public RetryBudgetSettings withWindow(Duration value) {
        return new RetryBudgetSettings(enabled, ratio, minRetries, value);
    }
}
