package io.statuspolicy.benchmarks.storm;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyConfig;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.RetryConfig;
import io.statuspolicy.policy.Backoff;
import io.statuspolicy.policy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** The strategies compared in B. */
public final class Strategies {
    private Strategies() {
    }

    public static Strategy none() {
        return new FixedScheduleStrategy("no-retries", "one attempt", 1, (retry, random) -> 0);
    }

    public static Strategy naive() {
        return new FixedScheduleStrategy("naive-3", "3 attempts, retried at once", 3, (retry, random) -> 0);
    }

    /** Exponential backoff with jitter, our own numbers, no budget, Retry-After not read. */
    public static Strategy backoff() {
        Backoff backoff = Backoff.DEFAULT;
        int attempts = Policy.guideline().limits().maxAttempts();
        return new FixedScheduleStrategy("backoff-jitter", attempts + " attempts, " + backoff.initialDelay().toMillis()
                + " ms x" + backoff.multiplier() + " +-" + Math.round(backoff.jitter() * 100)
                + " % (our Backoff), no budget, Retry-After not read", attempts,
                (retry, random) -> backoff.delayMillis(retry, random.nextDouble()));
    }

    public static Strategy statuspolicy() {
        return new PolicyStrategy("statuspolicy", Policy.guideline(), true);
    }

    /** Ours with another budget credit (for the frontier between blip and outage). */
    public static Strategy statuspolicy(double credit) {
        return new PolicyStrategy("statuspolicy", Policy.guideline().withLimits(limits -> limits.withRetryBudget(
                limits.retryBudget().withCredit(credit))), true);
    }

    /** Ours with the sliding-window budget of before issue 11 (credit 0), to show what banking does. */
    public static Strategy statuspolicyWindowed() {
        return new PolicyStrategy("statuspolicy-windowed", Policy.guideline().withLimits(limits -> limits.withRetryBudget(
                limits.retryBudget().withCredit(0))), true);
    }

    /** Ours with the circuit breaker on (5 failed calls in a row, open 5 s): the data for its default. */
    public static Strategy statuspolicyWithBreaker(double credit) {
        return new PolicyStrategy("statuspolicy-breaker", Policy.guideline().withLimits(limits -> limits
                .withRetryBudget(limits.retryBudget().withCredit(credit))
                .withCircuitBreaker(limits.circuitBreaker().withEnabled(true))), true);
    }

    /** Ours with the budget switched off: shows what the budget itself does. */
    public static Strategy statuspolicyWithoutBudget() {
        Policy guideline = Policy.guideline();
        return new PolicyStrategy("statuspolicy-no-budget", guideline.withLimits(limits -> limits.withRetryBudget(
                limits.retryBudget().withEnabled(false))), false);
    }

    /**
     * Resilience4j Retry as {@code RetryConfig.ofDefaults()} has it, with the same result
     * predicate added (its default retries exceptions only): attempts and intervals are read from
     * the default config and its interval function is asked for every wait.
     */
    public static Strategy resilience4jDefaults() {
        RetryConfig defaults = RetryConfig.ofDefaults();
        IntervalBiFunction<Object> interval = defaults.getIntervalBiFunction();
        Either<Throwable, Object> failure = Either.left(new TimeoutException("simulated"));
        long first = interval.apply(1, failure);
        return new FixedScheduleStrategy("resilience4j-defaults", defaults.getMaxAttempts() + " attempts, "
                + first + " ms fixed wait (RetryConfig.ofDefaults()), Retry-After not read",
                defaults.getMaxAttempts(), (retry, random) -> interval.apply(retry, failure));
    }

    /**
     * Failsafe's RetryPolicy as {@code RetryPolicy.ofDefaults()} has it, with the same result
     * predicate: attempts, delay, backoff and jitter are read from its config.
     */
    public static Strategy failsafeDefaults() {
        RetryPolicyConfig<Object> config = RetryPolicy.ofDefaults().getConfig();
        Duration delay = config.getDelay() == null ? Duration.ZERO : config.getDelay();
        Duration maxDelay = config.getMaxDelay();
        double factor = config.getDelayFactor();
        double jitterFactor = config.getJitterFactor();
        Duration jitter = config.getJitter();
        return new FixedScheduleStrategy("failsafe-defaults", config.getMaxAttempts() + " attempts, "
                + delay.toMillis() + " ms delay" + (maxDelay == null ? "" : " x" + factor + " up to " + maxDelay.toMillis()
                + " ms") + (jitterFactor > 0 || jitter != null ? ", jitter" : ", no jitter")
                + " (RetryPolicy.ofDefaults()), Retry-After not read", config.getMaxAttempts(), (retry, random) -> {
                    double millis = delay.toMillis();
                    if (maxDelay != null) {
                        millis = Math.min(millis * Math.pow(factor, retry - 1), maxDelay.toMillis());
                    }
                    if (jitterFactor > 0) {
                        millis = millis * (1 + jitterFactor * (2 * random.nextDouble() - 1));
                    } else if (jitter != null) {
                        millis = millis + jitter.toMillis() * (2 * random.nextDouble() - 1);
                    }
                    return Math.max(0, Math.round(millis));
                });
    }

    /** Every strategy, in the order of the tables. */
    public static List<Strategy> all() {
        return all(io.statuspolicy.policy.RetryBudgetSettings.DEFAULT_CREDIT);
    }

    /** Every strategy, ours with budget credit {@code credit}. */
    public static List<Strategy> all(double credit) {
        return List.of(none(), naive(), backoff(), statuspolicy(credit), statuspolicyWindowed(),
                statuspolicyWithBreaker(credit), statuspolicyWithoutBudget(),
                resilience4jDefaults(), failsafeDefaults(), PeerBudgetStrategies.awsStandard(),
                PeerBudgetStrategies.finagle());
    }
}
