package io.statuspolicy.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SingleFlightCredentialsTest {
    private static final URI A = URI.create("https://a.test/x");
    private static final URI B = URI.create("https://b.test/x");

    /** Counts refreshes; each one takes a while so concurrent callers overlap. */
    private static final class SlowSource implements CredentialSource {
        final AtomicInteger refreshes = new AtomicInteger();
        volatile String value = "T1";

        @Override
        public String current(URI uri) {
            return value;
        }

        @Override
        public String refresh(URI uri, String refused) throws IOException {
            refreshes.incrementAndGet();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refused.equals("BROKEN")) {
                throw new IOException("token endpoint down");
            }
            value = "T" + (Integer.parseInt(refused.substring(1)) + 1);
            return value;
        }
    }

    @Test
    void concurrentRefusalsOfTheSameValueRefreshOnce() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return credentials.refresh(A, "T1");
                }));
            }
            start.countDown();
            for (Future<String> result : results) {
                assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("T2");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(source.refreshes).hasValue(1);
        assertThat(credentials.current(A)).isEqualTo("T2");
    }

    @Test
    void aLateRefusalOfAnOldValueGetsTheNewValueWithoutAnotherRefresh() throws IOException {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        assertThat(credentials.refresh(A, "T1")).isEqualTo("T2");
        assertThat(credentials.refresh(A, "T1")).isEqualTo("T2");
        assertThat(source.refreshes).hasValue(1);
        assertThat(credentials.refresh(A, "T2")).as("the new value refused too: refresh again").isEqualTo("T3");
        assertThat(source.refreshes).hasValue(2);
    }

    @Test
    void originsAreRefreshedSeparately() throws IOException {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        credentials.refresh(A, "T1");
        credentials.refresh(B, "T1");
        assertThat(source.refreshes).hasValue(2);
    }

    @Test
    void aFailedRefreshReachesEveryWaiterAndTheNextCallTriesAgain() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = pool.submit(() -> credentials.refresh(A, "BROKEN"));
            Future<String> second = pool.submit(() -> credentials.refresh(A, "BROKEN"));
            for (Future<String> waiter : List.of(first, second)) {
                assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("token endpoint down");
            }
        } finally {
            pool.shutdownNow();
        }
        int afterFailure = source.refreshes.get();
        assertThat(afterFailure).isBetween(1, 2);
        assertThatThrownBy(() -> credentials.refresh(A, "BROKEN")).isInstanceOf(IOException.class);
        assertThat(source.refreshes.get()).isEqualTo(afterFailure + 1);
    }
}
