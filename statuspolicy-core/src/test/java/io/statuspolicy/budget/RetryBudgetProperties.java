package io.statuspolicy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The windowed budget against a model that keeps every event: over any sequence of requests,
 * retries and questions on a few keys, with the clock moving forward, the counts and answers
 * agree, whether the table is swept after every new key or never.
 */
class RetryBudgetProperties {
    private static final long T0 = 1_000_000L;
    private static final RetryBudgetSettings SETTINGS = new RetryBudgetSettings(true, 0.5, 1, Duration.ofSeconds(10), 0);

    /** One step: after {@code advanceMillis}, a request (0), a retry (1) or a question (2) for a key. */
    record Step(int key, int advanceMillis, int action) {
    }

    @Property(tries = 300)
    void sweepingNeverChangesACountOrAnAnswer(@ForAll("steps") List<Step> steps,
            @ForAll @IntRange(min = 1, max = 3) int sweepThreshold) {
        WindowedRetryBudget swept = new WindowedRetryBudget(SETTINGS, sweepThreshold);
        WindowedRetryBudget kept = new WindowedRetryBudget(SETTINGS, Integer.MAX_VALUE);
        List<long[]> events = new ArrayList<>(); // {key, time, requests, retries}
        long now = T0;
        int fresh = 0;
        for (Step step : steps) {
            now += step.advanceMillis();
            String key = "k" + step.key();
            if (step.action() == 2) {
                long[] expected = model(events, step.key(), now);
                assertThat(swept.countsInWindow(key, now)).isEqualTo(expected);
                assertThat(kept.countsInWindow(key, now)).isEqualTo(expected);
                boolean allows = expected[1] + 1 <= SETTINGS.minRetries() + SETTINGS.ratio() * expected[0];
                assertThat(swept.allowsRetry(key, now)).isEqualTo(allows);
                assertThat(kept.allowsRetry(key, now)).isEqualTo(allows);
                continue;
            }
            for (WindowedRetryBudget budget : List.of(swept, kept)) {
                if (step.action() == 0) {
                    budget.recordRequest(key, now);
                } else {
                    budget.recordRetry(key, now);
                }
                budget.recordRequest("fresh" + fresh, now); // a new key: the swept table sweeps
            }
            fresh++;
            events.add(new long[] {step.key(), now, step.action() == 0 ? 1 : 0, step.action() == 1 ? 1 : 0});
        }
    }

    /**
     * Readings that go back a little (a call that started at a clock reading up to two buckets old,
     * as the engine's fast path takes the timer's last tick) land in their own bucket, as the
     * model says, while later readings keep theirs: recording remembers the bucket it used last
     * and must not put an earlier or later reading in it.
     */
    @Property(tries = 300)
    void readingsThatGoBackALittleCountInTheirOwnBucket(@ForAll("jitteredSteps") List<Step> steps) {
        WindowedRetryBudget budget = new WindowedRetryBudget(SETTINGS, Integer.MAX_VALUE);
        List<long[]> events = new ArrayList<>();
        long latest = T0;
        for (Step step : steps) {
            long now = Math.max(latest - 2_000, latest + step.advanceMillis()); // back at most two buckets
            latest = Math.max(latest, now);
            String key = "k" + step.key();
            if (step.action() == 2) {
                // Asked at the latest time: a window that ends earlier would drop the newest buckets.
                assertThat(budget.countsInWindow(key, latest)).isEqualTo(model(events, step.key(), latest));
                continue;
            }
            if (step.action() == 0) {
                budget.recordRequest(key, now);
            } else {
                budget.recordRetry(key, now);
            }
            events.add(new long[] {step.key(), now, step.action() == 0 ? 1 : 0, step.action() == 1 ? 1 : 0});
        }
    }

    @Provide
    Arbitrary<List<Step>> jitteredSteps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 1),
                Arbitraries.oneOf(Arbitraries.integers().between(-2_500, 1_500), Arbitraries.of(-1, 1, 999, 1_000)),
                Arbitraries.integers().between(0, 2)).as(Step::new);
        return step.list().ofMaxSize(80);
    }

    /** Events whose bucket (a tenth of the window) starts inside the window ending at {@code now}. */
    private static long[] model(List<long[]> events, int key, long now) {
        long window = SETTINGS.window().toMillis();
        long bucket = window / WindowedRetryBudget.BUCKETS;
        long[] sums = new long[2];
        for (long[] event : events) {
            long start = Math.floorDiv(event[1], bucket) * bucket;
            if (event[0] == key && start > now - window && start <= now) {
                sums[0] += event[2];
                sums[1] += event[3];
            }
        }
        return sums;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 1_500), Arbitraries.of(0, 9_999, 10_000, 25_000)),
                Arbitraries.integers().between(0, 2)).as(Step::new);
        return step.list().ofMaxSize(80);
    }
}
