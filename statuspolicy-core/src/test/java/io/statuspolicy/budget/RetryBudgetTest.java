package io.statuspolicy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final long T0 = 1_000_000L;

    @Test
    void aFullOutageAddsAboutTenPercentOfTrafficInsteadOfMultiplyingIt() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT);
        int maxAttempts = 4;
        long sent = 0;
        int calls = 0;
        // 100 calls per second for 60 s against a host that always fails; each call retries while allowed.
        for (long now = T0; now < T0 + 60_000; now += 10) {
            calls++;
            budget.recordRequest("down.test", now);
            sent++;
            for (int attempt = 2; attempt <= maxAttempts && budget.allowsRetry("down.test", now); attempt++) {
                budget.recordRetry("down.test", now);
                sent++;
            }
        }
        double amplification = (double) sent / calls;
        assertThat(amplification).isBetween(1.05, 1.15);
    }

    @Test
    void aRareCallerKeepsItsRetriesThroughTheFloor() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT);
        budget.recordRequest("a.test", T0);
        for (int retry = 1; retry <= 3; retry++) {
            assertThat(budget.allowsRetry("a.test", T0)).as("retry %d", retry).isTrue();
            budget.recordRetry("a.test", T0);
        }
        assertThat(budget.allowsRetry("a.test", T0)).isFalse();
    }

    @Test
    void spentRetriesAreForgottenWhenTheWindowSlidesPast() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT.withMinRetries(1));
        budget.recordRequest("a.test", T0);
        budget.recordRetry("a.test", T0);
        assertThat(budget.allowsRetry("a.test", T0 + 5_000)).isFalse();
        assertThat(budget.allowsRetry("a.test", T0 + 10_001)).isTrue();
    }

    @Test
    void hostsHaveBudgetsOfTheirOwnAndNamesIgnoreCase() {
        RetryBudget budget = RetryBudget.of(new RetryBudgetSettings(true, 0.1, 1, Duration.ofSeconds(10)));
        budget.recordRetry("A.test", T0);
        assertThat(budget.allowsRetry("a.TEST", T0)).isFalse();
        assertThat(budget.allowsRetry("b.test", T0)).isTrue();
    }

    @Test
    void aDisabledBudgetAlwaysAllows() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.OFF);
        for (int i = 0; i < 100; i++) {
            budget.recordRetry("a.test", T0);
        }
        assertThat(budget.allowsRetry("a.test", T0)).isTrue();
        assertThat(budget).isSameAs(RetryBudget.unlimited());
    }

    @Test
    void manyHostsDoNotGrowTheTableWithoutBound() throws Exception {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        for (int i = 0; i < 5_000; i++) {
            budget.recordRequest("host" + i + ".test", T0 + i * 100L);
        }
        var field = WindowedRetryBudget.class.getDeclaredField("hosts");
        field.setAccessible(true);
        assertThat(((java.util.Map<?, ?>) field.get(budget)).size()).isLessThanOrEqualTo(
                WindowedRetryBudget.SWEEP_THRESHOLD + 200);
    }
}
