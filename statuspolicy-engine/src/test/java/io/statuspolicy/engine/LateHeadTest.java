package io.statuspolicy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.statuspolicy.decision.TransportFailure;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A head the client reports after the caller's synchronous send was interrupted (the JDK's client
 * may: its send returns on the interrupt while its executor still parses the response). The call
 * is over by then, so the head must be aborted and nothing of it delivered: a delivery would arm
 * the body's deadline on the caller's thread, which would interrupt whatever that thread runs
 * next, a call of someone else's.
 */
class LateHeadTest {
    private static final URI TARGET = URI.create("http://a.test/r");

    /** An exchange that counts what the engine asks of it. */
    private static final class Counted implements Exchange<String> {
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger aborted = new AtomicInteger();
        private final int status;

        Counted(int status) {
            this.status = status;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public List<String> headerValues(String name) {
            return name.equalsIgnoreCase("Content-Length") ? List.of("2") : List.of();
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of("Content-Length", List.of("2"));
        }

        @Override
        public CompletableFuture<String> deliver(BodyTap tap, long deadlineMillis) {
            delivered.incrementAndGet();
            return CompletableFuture.completedFuture("delivered");
        }

        @Override
        public CompletableFuture<String> deliverStored(int status, Map<String, List<String>> headers, byte[] body) {
            delivered.incrementAndGet();
            return CompletableFuture.completedFuture("stored");
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
            aborted.incrementAndGet();
        }
    }

    /** A client whose blocking send is interrupted before the head: the head's consumer is kept for later. */
    private static final class Interrupted implements Transport<String> {
        Consumer<Exchange<String>> onHead;

        @Override
        public Exchange<String> send(Attempt attempt) {
            throw new AssertionError("the engine sends with a head consumer");
        }

        @Override
        public void send(Attempt attempt, Consumer<Exchange<String>> onHead) throws InterruptedException {
            this.onHead = onHead;
            throw new InterruptedException("the caller's interrupt");
        }

        @Override
        public CompletableFuture<Exchange<String>> sendAsync(Attempt attempt) {
            throw new AssertionError("sync only");
        }

        @Override
        public TransportFailure classify(Throwable error) {
            return new TransportFailure(TransportFailure.Kind.OTHER, String.valueOf(error));
        }
    }

    /** 200: a head that would complete the call; 503: one the engine would retry; 404: one returned as it is. */
    @ParameterizedTest
    @ValueSource(ints = {200, 503, 404})
    void aHeadAfterTheInterruptedSendIsAbortedAndNeverDelivered(int status) {
        PolicyEngine engine = PolicyEngine.builder().build();
        Interrupted transport = new Interrupted();
        CallSpec get = new CallSpec("GET", TARGET, Map.of(), false, true, true, CallOptions.DEFAULT);

        Throwable thrown = catchThrowable(() -> engine.execute(get, transport));
        assertThat(thrown).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).as("the caller's flag is kept (and cleared here)").isTrue();

        Counted late = new Counted(status);
        transport.onHead.accept(late);
        assertThat(late.aborted).as("the late head is aborted").hasValue(1);
        assertThat(late.delivered).as("nothing of it is delivered").hasValue(0);
    }
}
