package io.statuspolicy.benchmarks.loopback;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The JDK adapter's README explains what its {@code sendAsync} default costs (on a JDK before
 * the fix of JDK-8316580) by a thread started per call when the common pool's parallelism is 1,
 * and by none otherwise; this holds the build's JDK to that reading, so a JDK update that changes
 * it shows here.
 */
class JdkThreadsPerCallTest {
    @Test
    void theJdksSendAsyncStartsAThreadPerCallOnlyBefore25WithACommonPoolOfOne() throws Exception {
        int calls = 200;
        JdkThreadsPerCall.Count count = JdkThreadsPerCall.measure(calls);

        assertThat(count.bySend()).as("threads started by %d sends", calls).isLessThan(calls / 10);
        boolean perCall = Runtime.version().feature() < 25 && ForkJoinPool.getCommonPoolParallelism() <= 1;
        if (perCall) {
            // About one per call: 17.0.15 started 2000 for 2000 calls, 17.0.21.1 1988, 21.0.13.1 1937.
            assertThat(count.bySendAsync()).as("threads started by %d sendAsync calls (Java %s, parallelism 1)",
                    calls, Runtime.version()).isGreaterThanOrEqualTo(calls * 9 / 10);
        } else {
            assertThat(count.bySendAsync()).as("threads started by %d sendAsync calls (Java %s, parallelism %d)",
                    calls, Runtime.version(), ForkJoinPool.getCommonPoolParallelism()).isLessThan(calls / 10);
        }
    }
}
