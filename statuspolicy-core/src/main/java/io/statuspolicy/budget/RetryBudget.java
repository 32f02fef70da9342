package io.statuspolicy.budget;

import io.statuspolicy.policy.RetryBudgetSettings;

/**
 * A per-host budget for retries, shared by all calls of one executor. The decision function
 * only asks {@link #allowsRetry}; the executor records what it sends.
 *
 * <p>Implementations are thread-safe. Two calls may both be told yes at the same moment and
 * overshoot the budget by one retry each; the budget bounds load, it is not a lock.
 */
public interface RetryBudget {

    /** Whether one more retry to {@code host} fits the budget at {@code nowMillis}. */
    boolean allowsRetry(String host, long nowMillis);

    /** Records a first attempt (a logical request) to {@code host}. */
    void recordRequest(String host, long nowMillis);

    /** Records a retry sent to {@code host}. */
    void recordRetry(String host, long nowMillis);

    /** A budget that always says yes and records nothing. */
    static RetryBudget unlimited() {
        return Unlimited.INSTANCE;
    }

    /** The budget the settings describe: {@link #unlimited()} when they are off. */
    static RetryBudget of(RetryBudgetSettings settings) {
        return settings.enabled() ? new WindowedRetryBudget(settings) : unlimited();
    }

    /** The always-yes budget. */
    enum Unlimited implements RetryBudget {
        INSTANCE;

        @Override
        public boolean allowsRetry(String host, long nowMillis) {
            return true;
        }

        @Override
        public void recordRequest(String host, long nowMillis) {
        }

        @Override
        public void recordRetry(String host, long nowMillis) {
        }
    }
}
