package io.statuspolicy.decision;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The decision for a successful response is on every call's path: it must allocate nothing.
 * This counts bytes (the JVM's per-thread allocation counter), not time; speed is measured in
 * the benchmarks module.
 */
class SuccessPathAllocationTest {

    @Test
    void decidingA200AllocatesNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Fixture fixture = new Fixture();
        RequestFacts request = Fixture.get("https://a.test/r");
        AttemptState state = fixture.decider.start(request);
        TestResponse ok = TestResponse.status(200);
        Decision expected = fixture.decider.decide(request, ok, state);
        for (int i = 0; i < 20_000; i++) { // warm up
            fixture.decider.decide(request, ok, state);
        }
        long thread = Thread.currentThread().getId();
        int calls = 200_000;
        long before = threads.getThreadAllocatedBytes(thread);
        Decision last = null;
        for (int i = 0; i < calls; i++) {
            last = fixture.decider.decide(request, ok, state);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(last).isSameAs(expected);
        // Even 8 bytes per decision would show as 1.6 MB; allow only the counter's own noise.
        assertThat(allocated).as("bytes allocated by %d decisions", calls).isLessThan(16 * 1024);
    }
}
