package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.statuspolicy.decision.TransportFailure;
import io.statuspolicy.event.AttemptType;
import io.statuspolicy.event.PolicyEvent;
import io.statuspolicy.event.PolicyListener;
import io.statuspolicy.time.Sleeper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Each {@link PolicyEvent.AttemptStarted} says why its request is sent, on both drivers: the
 * first is {@link AttemptType#ORIGINAL}, each later one names the step that asked for it.
 */
class AttemptTypeTest {
    private static final URI URI_A = URI.create("http://a.test/r");

    private record Head(int status, Map<String, List<String>> headers) implements Exchange<String> {
        @Override
        public List<String> headerValues(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
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

    private static final class Scripted implements Transport<String> {
        final Deque<Head> heads;

        Scripted(Head... script) {
            heads = new ArrayDeque<>(List.of(script));
        }

        @Override
        public Exchange<String> send(Attempt attempt) {
            return heads.removeFirst();
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

    private static final class NoWait implements Sleeper {
        @Override
        public void sleep(Duration duration) {
        }

        @Override
        public CompletableFuture<Void> delay(Duration duration) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class Types implements PolicyListener {
        final List<AttemptType> seen = new CopyOnWriteArrayList<>();

        @Override
        public void attemptStarted(PolicyEvent.AttemptStarted event) {
            seen.add(event.type());
        }
    }

    private static Head head(int status, String... nameValues) {
        java.util.LinkedHashMap<String, List<String>> headers = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            headers.put(nameValues[i], List.of(nameValues[i + 1]));
        }
        return new Head(status, headers);
    }

    private static List<AttemptType> run(CallSpec spec, boolean async, Head... script) throws Exception {
        Types types = new Types();
        int[] token = {0};
        PolicyEngine engine = PolicyEngine.builder()
                .clock(Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC))
                .sleeper(new NoWait())
                .credentials(CredentialSource.fromSupplier(() -> "Bearer T" + token[0]++))
                .listener(types)
                .build();
        Scripted transport = new Scripted(script);
        String response = async ? engine.executeAsync(spec, transport).get() : engine.execute(spec, transport);
        assertThat(response).isEqualTo("status 200");
        return types.seen;
    }

    private static CallSpec put(boolean lengthKnown, CallOptions options) {
        return new CallSpec("PUT", URI_A, Map.of(), true, true, lengthKnown, options);
    }

    @Test
    void everyStepThatSendsAgainNamesItself() throws Exception {
        for (boolean async : new boolean[] {false, true}) {
            assertThat(run(put(false, CallOptions.DEFAULT), async,
                    head(503, "Retry-After", "0"),
                    head(307, "Location", "/moved"),
                    head(401, "WWW-Authenticate", "Bearer error=\"invalid_token\""),
                    head(411),
                    head(200)))
                    .as(async ? "async" : "sync")
                    .containsExactly(AttemptType.ORIGINAL, AttemptType.RETRY, AttemptType.REDIRECT,
                            AttemptType.CREDENTIALS, AttemptType.LENGTH_RESEND);
        }
    }

    @Test
    void awaitingAResourceIsItsOwnType() throws Exception {
        CallSpec get = new CallSpec("GET", URI_A, Map.of(), false, true, true,
                CallOptions.DEFAULT.withAwaitResource(Duration.ofSeconds(30)));
        assertThat(run(get, false, head(404), head(200)))
                .containsExactly(AttemptType.ORIGINAL, AttemptType.AWAIT);
    }

    @Test
    void anEventMadeWithoutATypeGuessesFromItsNumber() {
        assertThat(new PolicyEvent.AttemptStarted("GET", URI_A, 1, 0).type()).isEqualTo(AttemptType.ORIGINAL);
        assertThat(new PolicyEvent.AttemptStarted("GET", URI_A, 2, 0, List.of()).type()).isEqualTo(AttemptType.RETRY);
    }
}
