package io.statuspolicy.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.policy.RetryBudgetSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private static final long T0 = 1_000_000L;

    @Test
    void theSlidingWindowHoldsAFullOutageToAboutTenPercentMore() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT.withCredit(0));
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

    /** 60 s of good traffic at 100/s bank credit; a 20 s outage then gets that credit and nothing more. */
    @Test
    void theBankedBudgetHoldsAFullOutageToTheCreditSavedBeforeIt() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT);
        long now = T0;
        for (; now < T0 + 60_000; now += 10) {
            budget.recordRequest("down.test", now);
            budget.recordSuccess("down.test", 0, now);
        }
        long sent = 0;
        int calls = 0;
        for (long end = now + 20_000; now < end; now += 10) {
            calls++;
            budget.recordRequest("down.test", now);
            sent++;
            for (int attempt = 2; attempt <= 4 && budget.allowsRetry("down.test", now); attempt++) {
                budget.recordRetry("down.test", now);
                sent++;
            }
        }
        // The bank holds at most credit x requests in the window: 0.2 x 1000 = 200 retries for 2000 calls.
        assertThat((double) sent / calls).isBetween(1.09, 1.101);
    }

    /** A blip: the bank pays for a burst of retries at once, and the retries that succeed give it back. */
    @Test
    void theBankRidesOutABlipAndIsRefilledByTheRetriesThatSucceed() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        long now = T0;
        for (; now < T0 + 60_000; now += 10) {
            budget.recordRequest("a.test", now);
            budget.recordSuccess("a.test", 0, now);
        }
        // At most credit x the requests of the last window (the window slides in tenths): 0.2 x 900..1000.
        double saved = budget.banked("a.test");
        assertThat(saved).isBetween(180.0, 200.0);
        for (int i = 0; i < 150; i++) { // 150 retries within a second: far beyond 10 % of that second
            assertThat(budget.allowsRetry("a.test", now)).isTrue();
            budget.recordRetry("a.test", now);
        }
        double left = budget.banked("a.test");
        assertThat(left).isBetween(saved - 151, saved - 149); // the first spend trims the bank to the cap
        budget.recordSuccess("a.test", 2, now + 500);
        assertThat(budget.banked("a.test")).isCloseTo(left + 2.1, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aNewHostsStartingCreditLastsOneWindowAndThenTheBankIsWhatTrafficEarned() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT);
        budget.recordRequest("a.test", T0);
        assertThat(budget.allowsRetry("a.test", T0)).isTrue();
        budget.recordRequest("a.test", T0 + 9_000);
        assertThat(budget.allowsRetry("a.test", T0 + 9_000)).isTrue();
        budget.recordRequest("a.test", T0 + 11_000);
        assertThat(budget.allowsRetry("a.test", T0 + 11_000))
                .as("after its first window a quiet host keeps one retry, not three").isTrue();
        budget.recordRetry("a.test", T0 + 11_000);
        assertThat(budget.allowsRetry("a.test", T0 + 11_000)).isFalse();
        for (int i = 0; i < 10; i++) {
            budget.recordSuccess("a.test", 0, T0 + 11_000);
        }
        assertThat(budget.allowsRetry("a.test", T0 + 11_000)).as("ten successes earn one retry").isTrue();
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
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT.withMinRetries(1).withCredit(0));
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
    void manyHostsDoNotGrowTheTableWithoutBound() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        for (int i = 0; i < 5_000; i++) {
            budget.recordRequest("host" + i + ".test", T0 + i * 100L);
        }
        assertThat(budget.keys()).isLessThanOrEqualTo(WindowedRetryBudget.SWEEP_THRESHOLD + 1);
    }

    @Test
    void manyLiveKeysAreKeptAndSweptOnlyAfterTheTableDoubles() {
        // Review finding 20: with more live keys than the threshold, every new key swept the table.
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT, 100);
        for (int i = 0; i < 1_000; i++) {
            budget.recordRequest("live" + i, T0);
        }
        assertThat(budget.keys()).as("keys used within the window are never forgotten").isEqualTo(1_000);
        for (int i = 0; i < 1_000; i++) {
            assertThat(budget.countsInWindow("live" + i, T0 + 1)).containsExactly(1, 0);
        }
        // All idle now: the next sweep forgets them, and then at most ~2x the live keys stay.
        for (int i = 0; i < 3_000; i++) {
            budget.recordRequest("later" + i, T0 + 20_000);
        }
        assertThat(budget.keys()).as("the idle keys are gone").isEqualTo(3_000);
    }

    @Test
    void aNewKeyCostsAmortisedConstantTimeEvenWithManyLiveKeys() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT, 100);
        for (int i = 0; i < 20_000; i++) {
            budget.recordRequest("live" + i, T0);
        }
        // The table doubles between sweeps: 100, 200, ... 25 600, so 8 sweeps, not one per new key.
        assertThat(budget.sweepsRun()).isLessThanOrEqualTo(8);
        assertThat(budget.keys()).isEqualTo(20_000);
    }

    @Test
    void aKeyIsTheCallersChoiceSoOriginsOfOneHostHaveBudgetsOfTheirOwn() {
        RetryBudget budget = RetryBudget.of(new RetryBudgetSettings(true, 0.1, 1, Duration.ofSeconds(10)));
        budget.recordRetry("https://a.test:443", T0);
        assertThat(budget.allowsRetry("HTTPS://A.test:443", T0)).isFalse();
        assertThat(budget.allowsRetry("http://a.test:8080", T0)).isTrue();
    }

    @Test
    void aLateClockReadingDoesNotEraseNewerCounts() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        budget.recordRequest("a.test", T0 + 10_000);
        budget.recordRequest("a.test", T0); // same bucket index, one window earlier
        assertThat(budget.countsInWindow("a.test", T0 + 10_000)).containsExactly(1, 0);
    }

    /**
     * A bucket word keeps only the low 40 bits of its slot: a key idle for years (with the
     * shortest window, 1 s, so buckets of 100 ms) and used again counts only what is in the
     * window, and so does a clock before 1970 (an injected one).
     */
    @Test
    void aBucketUsedAgainYearsLaterCountsOnlyTheNewTraffic() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT.withWindow(Duration.ofSeconds(1)));
        long now = 1_800_000_000_000L; // 2027
        long later = now + 10L * 365 * 24 * 3600 * 1000; // ten years later
        budget.recordRequest("a.test", now);
        budget.recordRequest("a.test", now);
        budget.recordRetry("a.test", now);
        assertThat(budget.countsInWindow("a.test", now + 500)).containsExactly(2, 1);
        budget.recordRequest("a.test", later);
        assertThat(budget.countsInWindow("a.test", later)).containsExactly(1, 0);
        assertThat(budget.countsInWindow("a.test", later + 1_000)).containsExactly(0, 0);
        budget.recordRequest("b.test", -now);
        budget.recordRequest("b.test", -now + 950);
        assertThat(budget.countsInWindow("b.test", -now + 999)).containsExactly(2, 0);
        assertThat(budget.countsInWindow("b.test", -now + 1_000)).containsExactly(1, 0);
    }

    /** A bucket's count stops at the word's largest (2^24 − 1) instead of wrapping to a small one. */
    @Test
    void aBucketsCountSaturatesInsteadOfWrapping() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        int most = (1 << 24) - 1;
        for (int i = 0; i < most + 10; i++) {
            budget.recordRequest("a.test", T0);
        }
        assertThat(budget.countsInWindow("a.test", T0)).containsExactly(most, 0);
    }

    /**
     * Several threads record into keys that are idle each time they are written (a key is used
     * every 11 s with a 10 s window), so every write races with the sweeps that the other
     * threads start by bringing in new keys. Each thread owns its keys and reads back at once what it
     * wrote: a count written into a window that a sweep has taken out of the table is lost, and
     * the read shows it. A phaser keeps the threads' clocks within 4 s of each other, less than
     * the window, as one executor's clock would be.
     */
    @Test
    void concurrentRecordsAreNeverLostToASweep() throws Exception {
        int threads = 4;
        int keysPerThread = 11;
        int steps = 50_000;
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT, 8);
        Phaser lockstep = new Phaser(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int i = 0; i < steps; i++) {
                        if (i % 4 == 0) {
                            lockstep.arriveAndAwaitAdvance();
                        }
                        long now = T0 + i * 1_000L;
                        String key = "t" + thread + "-k" + (i % keysPerThread);
                        budget.recordRequest(key, now);
                        boolean retry = i % 3 == 0;
                        if (retry) {
                            budget.recordRetry(key, now);
                        }
                        budget.recordRequest("t" + thread + "-fresh" + i, now); // a new key: sweeps come
                        long[] counts = budget.countsInWindow(key, now);
                        if (counts[0] != 1 || counts[1] != (retry ? 1 : 0)) {
                            wrong++;
                        }
                    }
                    lockstep.arriveAndDeregister();
                    return wrong;
                }));
            }
            for (Future<Integer> future : done) {
                assertThat(future.get(60, TimeUnit.SECONDS)).as("reads that missed a count").isZero();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.sweepsRun()).as("sweeps ran during the test").isPositive();
    }

    /**
     * Successes from several threads at once are each deposited once (they wait in per-thread
     * slots until the bank is read), and the bank stops at its cap as if each went in at once.
     */
    @Test
    void concurrentSuccessesAreAllDepositedAndTheBankStopsAtItsCap() throws Exception {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        for (int i = 0; i < 10_000; i++) {
            budget.recordRequest("a.test", T0);
        }
        // Cap: 0.2 x 10 000 requests = 2 000 retries; starting credit 3; each success 0.1.
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int[] round : new int[][] {{1_000, 403}, {10_000, 2_000}}) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    done.add(pool.submit(() -> {
                        go.await();
                        for (int i = 0; i < round[0]; i++) {
                            budget.recordSuccess("a.test", 0, T0 + 1);
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> future : done) {
                    future.get(60, TimeUnit.SECONDS);
                }
                assertThat(budget.banked("a.test")).as(round[0] + " successes a thread")
                        .isCloseTo(round[1], org.assertj.core.data.Offset.offset(1e-9));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(budget.allowsRetry("a.test", T0 + 2)).isTrue();
        budget.recordRetry("a.test", T0 + 2);
        assertThat(budget.banked("a.test")).isCloseTo(1_999, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Threads whose clock readings straddle a bucket's start (one read the tick before, one the
     * tick after) must not recompute the cap on every call: before issue 14's fix each reading of
     * the earlier bucket recomputed it for that bucket and the next reading of the later one
     * recomputed it again (a thousand computations here instead of two).
     */
    @Test
    void readingsOfAnEarlierBucketDoNotRecomputeTheCap() {
        WindowedRetryBudget budget = new WindowedRetryBudget(RetryBudgetSettings.DEFAULT);
        long later = T0 + 1_000; // buckets are a tenth of the 10 s window
        for (int i = 0; i < 10_000; i++) {
            budget.recordRequest("a.test", T0); // a cap of 2 000 retries, far above what is deposited
        }
        budget.recordSuccess("a.test", 0, T0);
        budget.recordSuccess("a.test", 0, later);
        for (int i = 0; i < 500; i++) {
            budget.recordSuccess("a.test", 0, later - 1);
            budget.recordSuccess("a.test", 0, later);
        }
        assertThat(budget.capsComputed("a.test")).as("caps computed").isEqualTo(2);
        // The earlier readings were deposited all the same: 0.1 each, on the 3 retries of credit.
        assertThat(budget.banked("a.test")).isCloseTo(3 + 0.1 * 1_002, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * The words each call writes in its stripe (a request bucket, the deposits) must not share a
     * cache line with the next stripe's words, nor with the objects beside the array, whatever
     * the array's alignment (8 bytes): more than 64 bytes apart. Deposits at the stripe's end,
     * two words before the next stripe's last use, made two threads' calls 2 to 3 times slower.
     */
    @Test
    void theWordsACallWritesShareNoCacheLineWithAnotherStripe() {
        assertThat(WindowedRetryBudget.bytesFromHotWordsToNextStripe()).isGreaterThanOrEqualTo(64 + 8);
        assertThat(WindowedRetryBudget.bytesFromArrayEdgesToHotWords()).isGreaterThanOrEqualTo(64);
    }

    @Test
    void usageShowsEachKeysRequestsRetriesAndWhatIsLeft() {
        RetryBudget budget = RetryBudget.of(RetryBudgetSettings.DEFAULT.withCredit(0).withMinRetries(2).withRatio(0.5));
        for (int i = 0; i < 4; i++) {
            budget.recordRequest("http://a.test:80", T0);
        }
        budget.recordRetry("http://a.test:80", T0);
        budget.recordRequest("http://b.test:80", T0);

        java.util.Map<String, RetryBudget.Usage> usage = budget.usage(T0, 10);
        assertThat(usage).containsOnlyKeys("http://a.test:80", "http://b.test:80");
        assertThat(usage.get("http://a.test:80")).isEqualTo(new RetryBudget.Usage(4, 1, 2 + 0.5 * 4 - 1));
        assertThat(usage.get("http://b.test:80").requests()).isEqualTo(1);
        assertThat(budget.usage(T0, 1)).as("bounded").hasSize(1);
        assertThat(budget.usage("HTTP://A.test:80", T0)).isEqualTo(usage.get("http://a.test:80"));
        assertThat(budget.usage("http://c.test:80", T0)).isNull();
        assertThat(RetryBudget.unlimited().usage(T0, 10)).isEmpty();
    }
}
