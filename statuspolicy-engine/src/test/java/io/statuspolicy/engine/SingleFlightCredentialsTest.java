package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightCredentialsTest {
    private static final URI A = URI.create("https://a.test/x");
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Counts refreshes; each one takes a while so concurrent callers overlap. */
    private static final class SlowSource implements CredentialSource {
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger currents = new AtomicInteger();
        volatile String value = "T1";

        @Override
        public String current(URI uri) {
            currents.incrementAndGet();
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
            if (refused.equals("FATAL")) {
                throw new AssertionError("a bug in the source");
            }
            value = "T" + (Integer.parseInt(refused.substring(1)) + 1);
            return value;
        }
    }

    @Test
    void concurrentRefusalsOfTheSameValueRefreshOnce() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        List<CompletableFuture<String>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            results.add(credentials.refresh("a", A, "T1", pool));
        }
        for (CompletableFuture<String> result : results) {
            assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("T2");
        }
        assertThat(source.refreshes).hasValue(1);
    }

    @Test
    void theCurrentValueIsAlwaysTheSourcesOwnSoItsRotationIsFollowed() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        assertThat(credentials.refresh("a", A, "T1", pool).get(5, TimeUnit.SECONDS)).isEqualTo("T2");
        source.value = "T7"; // the source rotated on its own
        assertThat(credentials.current(A)).isEqualTo("T7");
        assertThat(source.currents).hasValue(1);
    }

    @Test
    void aLateRefusalOfAnOldValueGetsTheNewValueWithoutAnotherRefresh() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        assertThat(credentials.refresh("a", A, "T1", pool).get(5, TimeUnit.SECONDS)).isEqualTo("T2");
        assertThat(credentials.refresh("a", A, "T1", pool).get(5, TimeUnit.SECONDS)).isEqualTo("T2");
        assertThat(source.refreshes).hasValue(1);
        assertThat(credentials.refresh("a", A, "T2", pool).get(5, TimeUnit.SECONDS))
                .as("the new value refused too: refresh again").isEqualTo("T3");
        assertThat(source.refreshes).hasValue(2);
    }

    @Test
    void scopesAreRefreshedSeparately() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        CompletableFuture<String> a = credentials.refresh("a", A, "T1", pool);
        CompletableFuture<String> b = credentials.refresh("b", A, "T1", pool);
        CompletableFuture.allOf(a, b).get(5, TimeUnit.SECONDS);
        assertThat(source.refreshes).hasValue(2);
    }

    @Test
    void aFailedRefreshReachesEveryWaiterAndTheNextRefusalTriesAgain() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        CompletableFuture<String> first = credentials.refresh("a", A, "BROKEN", pool);
        CompletableFuture<String> second = credentials.refresh("a", A, "BROKEN", pool);
        for (CompletableFuture<String> waiter : List.of(first, second)) {
            assertThatThrownBy(() -> waiter.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("token endpoint down");
        }
        assertThat(source.refreshes).hasValue(1);
        assertThatThrownBy(() -> credentials.refresh("a", A, "BROKEN", pool).get(5, TimeUnit.SECONDS))
                .hasRootCauseMessage("token endpoint down");
        assertThat(source.refreshes).hasValue(2);
    }

    @Test
    void anErrorInTheRefreshingCallLeavesNoWaiterWaitingForGood() throws Exception {
        SlowSource source = new SlowSource();
        SingleFlightCredentials credentials = new SingleFlightCredentials(source);
        CompletableFuture<String> leader = credentials.refresh("a", A, "FATAL", pool);
        CompletableFuture<String> follower = credentials.refresh("a", A, "FATAL", pool);
        assertThatThrownBy(() -> follower.get(5, TimeUnit.SECONDS)).hasRootCauseInstanceOf(AssertionError.class);
        assertThat(leader).isCompletedExceptionally();
    }
}
