package io.statuspolicy.budget;

import io.statuspolicy.policy.RetryBudgetSettings;

/**
 * A budget for retries per key, shared by all calls of one executor. The decision function
 * only asks {@link #allowsRetry}; the executor records what it sends.
 *
 * <p>The key is the caller's choice: the budget only compares keys (the windowed budget
 * ignores case) and gives each its own window. Callers should pass the request's origin,
 * {@code scheme://host:port} as {@link io.statuspolicy.http.Origin} writes it, rather than the
 * host alone, so that {@code http://a.test:8080} and {@code https://a.test} have budgets of
 * their own. Whatever the choice, the decision function and the executor must use the same key
 * for the same request, or the retries asked about are never the ones recorded: both use
 * {@link #keyOf(java.net.URI)}.
 *
 * <p>Implementations are thread-safe. Two calls may both be told yes at the same moment and
 * overshoot the budget by one retry each; the budget bounds load, it is not a lock. The default
 * implementation counts retries exactly, but may rarely lose a request or a success recorded by
 * two threads at the same nanoseconds (it writes those without a locked instruction, for the
 * happy path's sake): a loss only ever lowers what the budget allows.
 */
public interface RetryBudget {

    /** Whether one more retry for {@code key} fits the budget at {@code nowMillis}. */
    boolean allowsRetry(String key, long nowMillis);

    /** Records a first attempt (a logical request) for {@code key}. */
    void recordRequest(String key, long nowMillis);

    /**
     * Records a first attempt for the origin of {@code uri}: the same as
     * {@code recordRequest(keyOf(uri), nowMillis)}, which is what the default does. An
     * implementation may remember the origins it saw so that a call to one of them makes no key.
     */
    default void recordRequest(java.net.URI uri, long nowMillis) {
        recordRequest(keyOf(uri), nowMillis);
    }

    /** Records a retry sent for {@code key}. */
    void recordRetry(String key, long nowMillis);

    /**
     * Records a request to {@code key} that succeeded (the call ended with a response below 500,
     * other than 429) after {@code retries} retries: a banking budget deposits credit for it and
     * gives back what its retries spent, since they were not spent on a host that is down. Added
     * in issue 11; by default nothing.
     */
    default void recordSuccess(String key, int retries, long nowMillis) {
    }

    /** {@link #recordSuccess(String, int, long)} for the origin of {@code uri}. */
    default void recordSuccess(java.net.URI uri, int retries, long nowMillis) {
        recordSuccess(keyOf(uri), retries, nowMillis);
    }

    /**
     * What the budget knows per key at {@code nowMillis}, for inspection (an actuator endpoint, a
     * gauge): at most {@code limit} keys, in no particular order. Empty for a budget that keeps
     * nothing (the default).
     */
    default java.util.Map<String, Usage> usage(long nowMillis, int limit) {
        return java.util.Map.of();
    }

    /** What the budget knows of {@code key} at {@code nowMillis}, or null when it keeps nothing for it. */
    default Usage usage(String key, long nowMillis) {
        return null;
    }

    /**
     * One key's use of its budget.
     *
     * @param requests         first attempts in the window
     * @param retries          retries sent in the window
     * @param retriesAvailable how many more retries fit the budget now (may be fractional)
     */
    record Usage(long requests, long retries, double retriesAvailable) {
    }

    /**
     * The key the decision function asks with and the engine records under: the URI's origin
     * ({@code scheme://host:port}), so two services on one host have budgets of their own.
     */
    static String keyOf(java.net.URI uri) {
        return OriginKeys.of(uri);
    }

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
        public boolean allowsRetry(String key, long nowMillis) {
            return true;
        }

        @Override
        public void recordRequest(String key, long nowMillis) {
        }

        @Override
        public void recordRequest(java.net.URI uri, long nowMillis) {
            // records nothing, so no key is made
        }

        @Override
        public void recordRetry(String key, long nowMillis) {
        }

        @Override
        public void recordSuccess(java.net.URI uri, int retries, long nowMillis) {
        }
    }
}
