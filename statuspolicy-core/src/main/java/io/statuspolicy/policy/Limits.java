package io.statuspolicy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The numbers that bound a call: attempts, waits, redirects, the deadline and the retry budget.
 *
 * @param maxAttempts     attempts in total, the first included; at least 1
 * @param backoff         the delay between retries when the server does not say
 * @param retryAfterCap   the longest {@code Retry-After} honoured; a longer one fails the call at
 *                        once instead of sleeping
 * @param deadline        one overall deadline for the call: attempts, waits, redirects and
 *                        reading the body; no wait may cross it
 * @param maxRedirects    the most redirects followed in one call; 0 follows none
 * @param awaitResource   how long a 404 may be awaited (the resource is expected to appear);
 *                        {@link Duration#ZERO} means a 404 fails at once
 * @param retryBudget     the per-host retry budget
 * @param hostHolds       whether a {@code Retry-After} on a 503 holds the origin (and on a 429, the
 *                        origin for that principal) for every call of the client, not only the
 *                        call that got it; the hold is capped by {@code retryAfterCap}
 * @param circuitBreaker  the per-origin circuit breaker ({@link CircuitBreakerSettings#OFF} by default)
 */
public record Limits(
        int maxAttempts,
        Backoff backoff,
        Duration retryAfterCap,
        Duration deadline,
        int maxRedirects,
        Duration awaitResource,
        RetryBudgetSettings retryBudget,
        boolean hostHolds,
        CircuitBreakerSettings circuitBreaker) {

    /**
     * The defaults: 4 attempts, {@link Backoff#DEFAULT}, Retry-After honoured up to 60 s, a 2 min
     * deadline, 10 redirects, 404 not awaited, {@link RetryBudgetSettings#DEFAULT}, host holds on,
     * the circuit breaker off.
     */
    public static final Limits DEFAULT = new Limits(4, Backoff.DEFAULT, Duration.ofSeconds(60),
            Duration.ofMinutes(2), 10, Duration.ZERO, RetryBudgetSettings.DEFAULT, true,
            CircuitBreakerSettings.OFF);

    /** The limits without the host settings of issue 11: host holds on, the circuit breaker off. */
    public Limits(int maxAttempts, Backoff backoff, Duration retryAfterCap, Duration deadline, int maxRedirects,
            Duration awaitResource, RetryBudgetSettings retryBudget) {
        this(maxAttempts, backoff, retryAfterCap, deadline, maxRedirects, awaitResource, retryBudget, true,
                CircuitBreakerSettings.OFF);
    }

    /** Validates every field with a message that names it. */
    public Limits {
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(retryBudget, "retryBudget");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1 (the first attempt), was " + maxAttempts);
        }
        if (maxRedirects < 0) {
            throw new IllegalArgumentException("maxRedirects must not be negative, was " + maxRedirects);
        }
        requireNotNegative("retryAfterCap", retryAfterCap);
        requireNotNegative("awaitResource", awaitResource);
        requireNotNegative("deadline", deadline);
        if (deadline.isZero()) {
            throw new IllegalArgumentException("deadline must be positive, was " + deadline);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }

    public Limits withMaxAttempts(int value) {
        return new Limits(value, backoff, retryAfterCap, deadline, maxRedirects, awaitResource, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withBackoff(Backoff value) {
        return new Limits(maxAttempts, value, retryAfterCap, deadline, maxRedirects, awaitResource, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withRetryAfterCap(Duration value) {
        return new Limits(maxAttempts, backoff, value, deadline, maxRedirects, awaitResource, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withDeadline(Duration value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, value, maxRedirects, awaitResource, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withMaxRedirects(int value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, deadline, value, awaitResource, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withAwaitResource(Duration value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, deadline, maxRedirects, value, retryBudget,
                hostHolds, circuitBreaker);
    }

    public Limits withRetryBudget(RetryBudgetSettings value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, deadline, maxRedirects, awaitResource, value,
                hostHolds, circuitBreaker);
    }

    public Limits withHostHolds(boolean value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, deadline, maxRedirects, awaitResource, retryBudget,
                value, circuitBreaker);
    }

    public Limits withCircuitBreaker(CircuitBreakerSettings value) {
        return new Limits(maxAttempts, backoff, retryAfterCap, deadline, maxRedirects, awaitResource, retryBudget,
                hostHolds, value);
    }
}
