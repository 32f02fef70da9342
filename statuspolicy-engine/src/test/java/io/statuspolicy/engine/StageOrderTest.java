package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.time.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The stage order is a contract ({@link Stage#ORDER}): a call that retries after a wait passes
 * through every stage in that order, and the next attempt starts again at {@link Stage#HOST_STATE}.
 * The transport here is an in-memory stand-in for an HTTP client (the engine is what is tested).
 */
class StageOrderTest {
    private static final URI URI_A = URI.create("http://a.test/r");

    /** Answers each attempt with the next scripted status; records what it was asked to send. */
    private static final class Scripted implements Transport<String> {
        final Deque<Integer> statuses = new ArrayDeque<>();
        final List<Attempt> sent = new ArrayList<>();

        Scripted(Integer... script) {
            statuses.addAll(List.of(script));
        }

        @Override
        public Exchange<String> send(Attempt attempt) {
            sent.add(attempt);
            return new Canned(statuses.removeFirst());
        }

        @Override
        public CompletableFuture<Exchange<String>> sendAsync(Attempt attempt) {
            return CompletableFuture.completedFuture(send(attempt));
        }

        @Override
        public TransportFailure classify(Throwable error) {
            return new TransportFailure(TransportFailure.Kind.OTHER, String.valueOf(error));
        }
    }

    private record Canned(int status) implements Exchange<String> {
        @Override
        public List<String> headerValues(String name) {
            return List.of();
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of();
        }

        @Override
        public CompletableFuture<String> deliver(BodyTap tap, long deadlineMillis) {
            return CompletableFuture.completedFuture("status " + status);
        }

        @Override
        public CompletableFuture<String> deliverStored(int status, Map<String, List<String>> headers, byte[] body) {
            return CompletableFuture.completedFuture(new String(body, StandardCharsets.UTF_8));
        }

        @Override
        public CompletableFuture<Kept> keep(int limit, long timeoutMillis) {
            return CompletableFuture.completedFuture(new Kept(new byte[0], false));
        }

        @Override
        public void discard() {
        }

        @Override
        public void abort() {
        }
    }

    private static final class NoWait implements Sleeper {
        final List<Duration> slept = new ArrayList<>();

        @Override
        public void sleep(Duration duration) {
            slept.add(duration);
        }

        @Override
        public CompletableFuture<Void> delay(Duration duration) {
            slept.add(duration);
            return CompletableFuture.completedFuture(null);
        }
    }

    private static CallSpec get() {
        return new CallSpec("GET", URI_A, Map.of(), false, true, true, CallOptions.DEFAULT);
    }

    private static PolicyEngine engine(List<Stage> trace, NoWait sleeper) {
        return PolicyEngine.builder()
                .clock(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC))
                .sleeper(sleeper)
                .credentials(CredentialSource.fixed("Bearer T"))
                .responseStore(ResponseStore.inMemory(1 << 20))
                .stageTrace(trace)
                .build();
    }

    @Test
    void aRetryAfterAWaitPassesThroughEveryStageInTheNamedOrder() throws IOException, InterruptedException {
        List<Stage> trace = new ArrayList<>();
        NoWait sleeper = new NoWait();
        Scripted transport = new Scripted(503, 200);

        String response = engine(trace, sleeper).execute(get(), transport);

        assertThat(response).isEqualTo("status 200");
        assertThat(sleeper.slept).hasSize(1);
        assertThat(trace.subList(0, Stage.ORDER.size())).isEqualTo(Stage.ORDER);
        assertThat(trace.subList(Stage.ORDER.size(), trace.size()))
                .containsExactly(Stage.HOST_STATE, Stage.HEADERS, Stage.SEND, Stage.DECIDE);
        assertThat(transport.sent).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(transport.sent.get(1).headers()).containsEntry("Authorization", List.of("Bearer T"));
    }

    @Test
    void theAsynchronousDriverTakesTheSameStages() throws Exception {
        List<Stage> sync = new ArrayList<>();
        engine(sync, new NoWait()).execute(get(), new Scripted(503, 200));
        List<Stage> async = new ArrayList<>();
        engine(async, new NoWait()).executeAsync(get(), new Scripted(503, 200)).get();
        assertThat(async).isEqualTo(sync);
    }

    @Test
    void theOrderIsTheDocumentedOne() {
        assertThat(Stage.ORDER).containsExactly(Stage.CREDENTIALS, Stage.CONDITIONAL, Stage.REDIRECT_MEMORY,
                Stage.HOST_STATE, Stage.HEADERS, Stage.SEND, Stage.DECIDE, Stage.BUDGET, Stage.WAIT);
    }
}
