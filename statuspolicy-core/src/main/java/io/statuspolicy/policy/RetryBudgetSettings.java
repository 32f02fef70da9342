package io.statuspolicy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-host retry budget. With {@code credit > 0} (the default, issue 11) it banks credit:
 * every successful request deposits {@code ratio} of a retry, every retry spends one, and the
 * bank holds at most {@code credit × requests in the window} (at least one retry's worth); a
 * fresh host starts with {@code minRetries}, which lasts its first window (a command-line run, a
 * job that just started, gets its retries; many quiet clients do not add up to a storm). So a short blip is ridden out on credit saved from the
 * traffic before it, while a full outage (no success, no deposit) gets only what was banked,
 * and once the bank is spent retries go on at {@code ratio} of the successful requests. With
 * {@code credit == 0} it is the sliding window of before: retries to a host may be at most
 * {@code minRetries + ratio × requests} within the window (first attempts counted as requests).
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
 * @param minRetries banked: the starting credit of a host, for its first window; plain: retries
 *                   always allowed per window, whatever the traffic; not negative
 * @param window     the sliding window; 1 s to 1 h
 * @param credit     the most credit banked, as retries per request in the window, 0 to 1000; 0
 *                   for the plain sliding window
 */
public record RetryBudgetSettings(boolean enabled, double ratio, int minRetries, Duration window, double credit) {

    /** The default credit: at most 0.2 retries per request of the last window are banked. */
    public static final double DEFAULT_CREDIT = 0.2;

    /** On: 10 % of successful requests banked, at most 0.2 per request of the last 10 s, 3 to start with. */
    public static final RetryBudgetSettings DEFAULT =
            new RetryBudgetSettings(true, 0.1, 3, Duration.ofSeconds(10), DEFAULT_CREDIT);

    /** Off: only the attempt limit bounds retries. */
    public static final RetryBudgetSettings OFF =
            new RetryBudgetSettings(false, 0.1, 3, Duration.ofSeconds(10), DEFAULT_CREDIT);

    /** The settings of before issue 11, with the default credit. */
    public RetryBudgetSettings(boolean enabled, double ratio, int minRetries, Duration window) {
        this(enabled, ratio, minRetries, window, DEFAULT_CREDIT);
    }

    /** Validates the fields with messages that name them. */
    public RetryBudgetSettings {
        Objects.requireNonNull(window, "window");
        if (!(ratio >= 0.0 && ratio <= 1000.0)) {
            throw new IllegalArgumentException("retry budget ratio must be between 0 and 1000, was " + ratio);
        }
        if (minRetries < 0) {
            throw new IllegalArgumentException("retry budget minRetries must not be negative, was " + minRetries);
        }
        if (!(credit >= 0.0 && credit <= 1000.0)) {
            throw new IllegalArgumentException("retry budget credit must be between 0 and 1000, was " + credit);
        }
        if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("retry budget window must be between 1 s and 1 h, was " + window);
        }
    }

    public RetryBudgetSettings withEnabled(boolean value) {
        return new RetryBudgetSettings(value, ratio, minRetries, window, credit);
    }

    public RetryBudgetSettings withRatio(double value) {
        return new RetryBudgetSettings(enabled, value, minRetries, window, credit);
    }

    public RetryBudgetSettings withMinRetries(int value) {
        return new RetryBudgetSettings(enabled, ratio, value, window, credit);
    }

    public RetryBudgetSettings withWindow(Duration value) {
        return new RetryBudgetSettings(enabled, ratio, minRetries, value, credit);
    }

    public RetryBudgetSettings withCredit(double value) {
        return new RetryBudgetSettings(enabled, ratio, minRetries, window, value);
    }

    /** Whether the budget banks credit from successful requests (credit above 0). */
    public boolean banked() {
        return credit > 0;
    }
}
