package io.statuspolicy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.Decision;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.policy.Policy;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RecordingListenerTest {

    private static final URI URI_R = URI.create("http://127.0.0.1/r");
    private static final Decision COMPLETE = new Decision.Complete(Policy.guideline().rule(200), 200);

    @Test
    void keepsEveryEventInOrderAndByType() {
        RecordingListener listener = new RecordingListener();
        PolicyEvent.AttemptStarted started = new PolicyEvent.AttemptStarted("GET", URI_R, 1, 10);
        PolicyEvent.DecisionMade decided = new PolicyEvent.DecisionMade("GET", URI_R, COMPLETE, 20);
        PolicyEvent.CallFinished finished = new PolicyEvent.CallFinished("GET", URI_R, COMPLETE, 1, 0, 0, 10, 30);

        PolicyListener safe = PolicyListener.safe(listener);
        safe.attemptStarted(started);
        safe.decisionMade(decided);
        safe.callFinished(finished);

        assertThat(listener.events()).containsExactly(started, decided, finished);
        assertThat(listener.events(PolicyEvent.DecisionMade.class)).containsExactly(decided);
        assertThat(listener.decisions()).containsExactly(COMPLETE);
        assertThat(listener.explanations()).containsExactly(COMPLETE.explain());
        assertThat(listener.explanations().get(0)).startsWith("200");

        listener.clear();
        assertThat(listener.events()).isEmpty();
    }

    @Test
    void recordsFromSeveralThreadsWithoutLosingEvents() throws Exception {
        RecordingListener listener = new RecordingListener();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < 500; i++) {
                        listener.attemptStarted(new PolicyEvent.AttemptStarted("GET", URI_R, i, thread));
                        listener.decisionMade(new PolicyEvent.DecisionMade("GET", URI_R, COMPLETE, thread));
                        listener.events(); // reading while others write
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(5, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(listener.events()).hasSize(4000);
        assertThat(listener.events(PolicyEvent.AttemptStarted.class)).hasSize(2000);
        assertThat(listener.decisions()).hasSize(2000).containsOnly(COMPLETE);
    }
}
