package io.statuspolicy.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-origin circuit breaker, decided by the policy like every other step: it opens after
 * {@code failures} calls in a row to one origin ended in failure as the policy sees it (retries
 * exhausted, refused by the retry budget, a transport failure, a 5xx returned); while open, a
 * call to that origin fails at once; after {@code openFor} one call goes as a probe
 * (half-open), and its success closes the circuit while its failure opens it again.
 *
 * <p>Off by default: in the storm simulation (docs/benchmarks.md, section B) the retry budget
 * already keeps an outage near 1.1× the traffic and the server recovers at once after it, so a
 * breaker adds failures without shortening recovery; see the docs for the figures.
 *
 * @param enabled  {@code true} turns the breaker on
 * @param failures failed calls in a row that open the circuit; 1 to 10 000
 * @param openFor  how long the circuit stays open before one probe; 1 ms to 1 h
 */
public record CircuitBreakerSettings(boolean enabled, int failures, Duration openFor) {

    /** Off; when turned on: 5 failed calls in a row, open for 5 s. */
    public static final CircuitBreakerSettings OFF = new CircuitBreakerSettings(false, 5, Duration.ofSeconds(5));

    /** Validates the fields with messages that name them. */
    public CircuitBreakerSettings {
        Objects.requireNonNull(openFor, "openFor");
        if (failures < 1 || failures > 10_000) {
            throw new IllegalArgumentException("circuit breaker failures must be between 1 and 10000, was " + failures);
        }
        if (openFor.compareTo(Duration.ofMillis(1)) < 0 || openFor.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("circuit breaker openFor must be between 1 ms and 1 h, was " + openFor);
        }
    }

    public CircuitBreakerSettings withEnabled(boolean value) {
        return new CircuitBreakerSettings(value, failures, openFor);
    }

    public CircuitBreakerSettings withFailures(int value) {
        return new CircuitBreakerSettings(enabled, value, openFor);
    }

    public CircuitBreakerSettings withOpenFor(Duration value) {
        return new CircuitBreakerSettings(enabled, failures, value);
    }
}
